import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { Memgate } from '../memgate.ts';
import { traceCarrier } from '../telemetry/request-id.ts';
import { AgentSubscriptions } from './agent-subscriptions.ts';
import { CHANNEL_CLOSE_CODES, type ChannelTransport } from './channel-transport.ts';
import { type ClientFrame, parseClientFrame } from './client-frames.ts';
import { CompletionRuns } from './completion-runs.ts';
import { errorFrame } from './server-frames.ts';

export interface ChatChannelSessionOptions {
  memgate: Memgate;
  transport: ChannelTransport;
  /** The caller when the upgrade carried a valid `Authorization` header; else an `auth` frame must come first. */
  principal?: Principal | null;
  /** Turns that may run at once on this connection (default 8); more get a 429 `error`. */
  maxInFlight?: number;
  /** Agents one connection may follow at once (default 64). */
  maxSubscriptions?: number;
  /** Called once the session is authenticated (e.g. to stop an authentication timer). */
  onAuthenticated?: (principal: Principal) => void;
  /** Told about unexpected (500) errors, which clients only see masked. */
  onInternalError?: (error: unknown) => void;
  /** The connection's request id (its upgrade's valid `x-request-id`, else new); turns derive theirs. */
  requestId?: string;
  /** Inbound trace headers of the upgrade (`traceparent`), for a tracer to continue. */
  carrier?: Readonly<Record<string, string>>;
}

const DEFAULT_MAX_IN_FLIGHT = 8;

/**
 * The chat channel protocol of one connection (contract §8), independent of the socket library:
 * authentication, turns multiplexed by `request_id`, cancellation, agent subscriptions and ping.
 */
export class ChatChannelSession {
  readonly id = `wss-${randomUUID()}`;
  /** The connection's id in logs and `error.request_id` of frames no turn owns. */
  readonly requestId: string;
  private principal: Principal | null;
  private authenticating: Promise<void> | null = null;
  private readonly runs: CompletionRuns;
  private readonly subscriptions: AgentSubscriptions;
  private readonly maxInFlight: number;
  private closed = false;
  private stopWatchingKey: (() => void) | null = null;

  constructor(private readonly options: ChatChannelSessionOptions) {
    this.principal = options.principal ?? null;
    this.requestId = options.requestId ?? randomUUID();
    this.maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.subscriptions = new AgentSubscriptions(options.memgate, options.transport, options.maxSubscriptions);
    this.runs = new CompletionRuns({
      chat: options.memgate.chat,
      transport: options.transport,
      maxInFlight: this.maxInFlight,
      onInternalError: options.onInternalError,
      connectionRequestId: this.requestId,
      ...(options.carrier && { carrier: options.carrier }),
    });
  }

  /** The authenticated caller's user id (null before authentication). */
  get userId(): string | null {
    return this.principal?.userId ?? null;
  }

  get authenticated(): boolean {
    return this.principal !== null;
  }

  /** Turns currently running. */
  get inFlight(): number {
    return this.runs.size;
  }

  /** Sends `session.created` when the upgrade already authenticated the caller. */
  start(): void {
    if (this.principal) this.opened(this.principal);
  }

  /** Handles one text frame; never throws (a bad frame is answered with an `error` event). */
  async receive(text: string): Promise<void> {
    // Frames sent right behind `auth` wait for it rather than being refused as unauthenticated.
    if (this.authenticating) await this.authenticating;
    if (this.closed) return;
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      this.options.transport.send(errorFrame(parsed.error, { ...parsed, traceId: this.requestId }));
      return;
    }
    try {
      await this.handle(parsed.frame);
    } catch (error) {
      if (MemgateError.fromUnknown(error).code === 'INTERNAL_SERVER_ERROR') this.options.onInternalError?.(error);
      this.options.transport.send(errorFrame(error, { ...subjectOf(parsed.frame), traceId: this.requestId }));
    }
  }

  /** Refuses new turns from now on and resolves once the running ones have finished. */
  drain(): Promise<void> {
    return this.runs.drain();
  }

  /** Cancels every running turn, drops subscriptions, and resolves once the turns have let go. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopWatchingKey?.();
    this.subscriptions.clear();
    await this.runs.cancelAll();
  }

  private async handle(frame: ClientFrame): Promise<void> {
    const { transport } = this.options;
    if (frame.type === 'ping') return transport.send({ type: 'pong' });
    if (frame.type === 'auth') return this.authenticate(frame.token);
    const principal = this.principal;
    if (!principal) {
      throw new MemgateError('UNAUTHENTICATED', 'Authenticate first: send { "type": "auth", "token": "<api key>" }.', {
        detailCode: 'missing_api_key',
      });
    }
    switch (frame.type) {
      case 'chat.completion.create':
        return this.runs.start(
          principal,
          frame.request_id,
          frame.request,
          traceCarrier((name) => (name === 'traceparent' ? frame.traceparent : frame.tracestate)),
          frame.conversation_id,
        );
      case 'chat.completion.cancel':
        return this.runs.cancel(frame.request_id);
      case 'agent.subscribe':
        return this.subscriptions.subscribe(principal, frame.agent_id);
      case 'agent.unsubscribe':
        return this.subscriptions.unsubscribe(frame.agent_id);
      case 'usage.get': {
        const usage = await this.options.memgate.usage.report(principal, frame.query ?? {});
        return transport.send({ type: 'usage', request_id: frame.request_id, usage });
      }
      case 'limits.get': {
        const limits = await this.options.memgate.limits.caller(principal);
        return transport.send({ type: 'limits', request_id: frame.request_id, limits });
      }
    }
  }

  private async authenticate(token: string): Promise<void> {
    if (this.principal) {
      throw new MemgateError('BAD_USER_INPUT', 'This connection is already authenticated.', {
        detailCode: 'already_authenticated',
      });
    }
    const attempt = this.options.memgate.admin.authenticate(`Bearer ${token}`);
    this.authenticating = attempt.then(
      () => undefined,
      () => undefined,
    );
    try {
      this.opened(await attempt);
    } catch (error) {
      this.closed = true;
      this.options.transport.send(errorFrame(error, { traceId: this.requestId }));
      this.options.transport.close(CHANNEL_CLOSE_CODES.unauthenticated, 'Invalid API key.');
    } finally {
      this.authenticating = null;
    }
  }

  private opened(principal: Principal): void {
    this.principal = principal;
    // The session lives no longer than its key: revoked on any instance, or expired, it closes with 4401.
    if (!this.closed) {
      this.stopWatchingKey = this.options.memgate.admin.watchSession(principal, (reason) => {
        this.closed = true;
        this.options.transport.close(CHANNEL_CLOSE_CODES.unauthenticated, reason);
      });
    }
    this.options.onAuthenticated?.(principal);
    this.options.transport.send({ type: 'session.created', session_id: this.id, max_in_flight: this.maxInFlight });
  }
}

/** The request or agent a refused frame was about, so the error event can name it. */
function subjectOf(frame: ClientFrame): { requestId?: string; agentId?: string } {
  if ('request_id' in frame) return { requestId: frame.request_id };
  if ('agent_id' in frame) return { agentId: frame.agent_id };
  return {};
}
