import type { Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { Memgate } from '../memgate.ts';
import type { ChannelTransport } from './channel-transport.ts';
import { CompletionRun } from './completion-run.ts';

export interface CompletionRunsOptions {
  chat: Memgate['chat'];
  transport: ChannelTransport;
  /** Turns that may await their terminal frame at once. */
  maxInFlight: number;
  onInternalError?: (error: unknown) => void;
  /** The connection's request id: each turn's `trace_id` is it plus the turn's number (`<id>.3`). */
  connectionRequestId: string;
  carrier?: Readonly<Record<string, string>>;
}

/** The turns of one connection by `request_id`: bounded, ids unique while in flight, each cancellable. */
export class CompletionRuns {
  // Both made by the first turn: most connections sit idle, and an empty Map or Set is not free.
  /** Turns not yet answered: their `request_id`s are taken. */
  private unanswered: Map<string, CompletionRun> | null = null;
  /** Every turn until it has let go of its agent, answered or not (what shutdown waits for). */
  private unsettled: Set<CompletionRun> | null = null;
  private accepting = true;
  private started = 0;

  constructor(private readonly options: CompletionRunsOptions) {}

  /** Turns awaiting their terminal frame. */
  get size(): number {
    return this.unanswered?.size ?? 0;
  }

  /**
   * Starts a turn, or throws the refusal (shutting down, duplicate id, too many in flight). Its own
   * trace context (the frame's `traceparent`) wins over the connection's (the upgrade's headers).
   */
  start(
    principal: Principal,
    requestId: string,
    request: Record<string, unknown>,
    carrier: Readonly<Record<string, string>> | undefined = this.options.carrier,
    conversationId?: string,
  ): void {
    if (!this.accepting) {
      throw new MemgateError('SERVICE_UNAVAILABLE', 'The server is shutting down; reconnect and retry.', {
        detailCode: 'shutting_down',
      });
    }
    this.unanswered ??= new Map();
    const unanswered = this.unanswered;
    if (unanswered.has(requestId)) {
      throw new MemgateError('CONFLICT', `request_id "${requestId}" is already in flight on this connection.`, {
        param: 'request_id',
        detailCode: 'duplicate_request_id',
      });
    }
    const { maxInFlight } = this.options;
    if (unanswered.size >= maxInFlight) {
      throw new MemgateError('RATE_LIMITED', `At most ${maxInFlight} requests may be in flight per connection.`, {
        detailCode: 'too_many_in_flight',
      });
    }
    const run = new CompletionRun({
      chat: this.options.chat,
      principal,
      requestId,
      traceId: `${this.options.connectionRequestId}.${++this.started}`,
      ...(carrier && { carrier }),
      ...(conversationId !== undefined && { conversationId }),
      request,
      transport: this.options.transport,
      onAnswered: () => unanswered.delete(requestId),
      onInternalError: this.options.onInternalError,
    });
    unanswered.set(requestId, run);
    this.unsettled ??= new Set();
    const unsettled = this.unsettled;
    unsettled.add(run);
    void run.finished.finally(() => unsettled.delete(run));
  }

  cancel(requestId: string): void {
    const run = this.unanswered?.get(requestId);
    if (!run) {
      throw new MemgateError('NOT_FOUND', `No request "${requestId}" is in flight on this connection.`, {
        param: 'request_id',
        detailCode: 'unknown_request_id',
      });
    }
    run.cancel();
  }

  /** Refuses new turns from now on; resolves once the running ones have finished. */
  async drain(): Promise<void> {
    this.accepting = false;
    await Promise.all([...(this.unsettled ?? [])].map((run) => run.finished));
  }

  /** Refuses new turns and cancels the running ones; resolves once they have let go. */
  async cancelAll(): Promise<void> {
    this.accepting = false;
    const runs = [...(this.unsettled ?? [])];
    for (const run of runs) run.cancel();
    await Promise.all(runs.map((run) => run.finished));
  }
}
