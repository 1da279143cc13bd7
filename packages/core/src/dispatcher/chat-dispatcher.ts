import { randomUUID } from 'node:crypto';
import { isReservedToolName } from '../agent/base-tools.ts';
import type { McpToolSource } from '../agent/mcp-tools.ts';
import { type ReplyFormat, replyFormatOf } from '../agent/reply-format.ts';
import type { TurnRunner } from '../agent/turn-runner.ts';
import type { ClientTools, TurnEvent, TurnInput, TurnTiming, TurnTrace } from '../agent/turn-types.ts';
import { requireWriteScope } from '../auth/key-scope.ts';
import type { AgentLock } from '../concurrency/agent-lock.ts';
import { loadContextWindow } from '../context/context-manager.ts';
import type { Agent, Principal, StoredMessage } from '../domain/types.ts';
import { errorOutcome, MemgateError } from '../errors/memgate-error.ts';
import { fieldError, parseOrThrow } from '../errors/validation.ts';
import type { LimitService } from '../limits/limit-service.ts';
import type { TurnAdmission } from '../limits/turn-admission.ts';
import type { LlmProvider } from '../llm/provider.ts';
import { type ChatCompletionRequest, chatCompletionRequestSchema } from '../schemas/chat-request.ts';
import type { ChatCompletion, ChatCompletionChunk } from '../schemas/chat-response.ts';
import type { ConversationService } from '../services/conversation-service.ts';
import type { Store } from '../store/store.ts';
import { NO_TELEMETRY, type RequestContext, type SpanEnd, type Telemetry } from '../telemetry/telemetry.ts';
import { clientToolsOf } from './client-tools.ts';
import { chunksOf, collectCompletion, completionId } from './completion-builder.ts';
import { assertInputCount, DEFAULT_MAX_INPUT_MESSAGES, extractNewInput } from './new-input.ts';
import { assertSupported, samplingOf } from './request-checks.ts';
import { unansweredInput } from './retry-tail.ts';
import { reconcileTranscript, type TranscriptMode } from './transcript-reconcile.ts';
import { DEFAULT_TURN_TIMEOUT_MS, startTurnDeadline } from './turn-deadline.ts';

export interface ChatCallOptions {
  /** Aborting it cancels the turn's upstream call (a client that leaves stops the work). */
  signal?: AbortSignal;
  /** Filled in as the turn runs, for `Server-Timing`. */
  timing?: TurnTiming;
  /** The adapter's request id and protocol; without it the turn gets a new id (`internal`). */
  context?: RequestContext;
  /**
   * The conversation the protocol named outside the body (the `X-Memgate-Conversation` header, a
   * GraphQL argument, a chat-channel frame field). It wins over `metadata.conversation_id`.
   */
  conversationId?: string;
  /**
   * A chat UI's own chat id (`X-OpenWebUI-Chat-Id`…), prefixed with the UI's name: used when no
   * conversation is named, through the agent's key → conversation map, creating it on first use.
   */
  conversationKey?: string;
  /**
   * `reconcile`: compare the request's transcript with the stored conversation and rewind to the
   * first divergence before the turn (see `reconcileTranscript`); `append`: take only the new
   * input, as always. Default: `reconcile` for a conversation chosen by a chat UI's chat id
   * (`conversationKey`), else `append`.
   */
  transcript?: TranscriptMode;
  /**
   * The turn was already admitted under its caller's limits (`admit`, by an adapter that stores
   * something before the turn); the turn takes it over and releases it. Absent: the dispatcher admits.
   */
  admission?: TurnAdmission | null;
}

export interface ChatDispatcherOptions {
  store: Store;
  /** Resolves the conversation a turn continues. */
  conversations: ConversationService;
  provider: LlmProvider;
  lock: AgentLock;
  runner: TurnRunner;
  /** Largest decoded `data:` image of a user message (MEMGATE_MAX_ATTACHMENT_BYTES); default 5 MiB. */
  maxAttachmentBytes?: number;
  /** Most new input messages per request (MEMGATE_MAX_INPUT_MESSAGES); default 256. */
  maxInputMessages?: number;
  /** Where turns report (logs, metrics, traces); default: nowhere. */
  telemetry?: Telemetry;
  /** Whole-turn deadline (MEMGATE_TURN_TIMEOUT_MS), lock wait included; default 5 minutes. */
  turnTimeoutMs?: number;
  /** Admits each turn under its caller's limits; default: no limits. */
  limits?: LimitService;
  /** The agents' attached MCP tools; without it, attachments are ignored. */
  mcpTools?: McpToolSource;
}

/** Messages read at first when looking for a failed attempt's input (it is usually one or two). */
const RETRY_LOOKBACK = 4;
/** Bound on how far back that input is followed. */
const RETRY_LOOKBACK_MAX = 256;

interface PreparedTurn {
  request: ChatCompletionRequest;
  events: AsyncGenerator<TurnEvent>;
  model: string;
}

/** The one entry point for chat completions that every protocol adapter calls. */
export class ChatDispatcher {
  constructor(private readonly options: ChatDispatcherOptions) {}

  /** Runs one turn and returns its `chat.completion`. */
  async complete(principal: Principal, body: unknown, call: ChatCallOptions = {}): Promise<ChatCompletion> {
    const id = completionId();
    const turn = await this.prepare(principal, body, { streaming: false, id }, call);
    return collectCompletion(turn.events, { id, created: unixSeconds() });
  }

  /**
   * Runs one turn as a stream of chunks. Resolves once the first chunk exists, so that a request
   * refused or an upstream failing before any output still rejects here (the adapter can pick a
   * status); later failures reject the iteration. Adapters must finish or `return()` the iterator.
   */
  async stream(
    principal: Principal,
    body: unknown,
    call: ChatCallOptions = {},
  ): Promise<AsyncIterableIterator<ChatCompletionChunk>> {
    const id = completionId();
    const turn = await this.prepare(principal, body, { streaming: true, id }, call);
    const iterator = chunksOf(turn.events, {
      id,
      created: unixSeconds(),
      model: turn.model,
      includeUsage: turn.request.stream_options?.include_usage === true,
    });
    const first = await iterator.next();
    let pending: IteratorResult<ChatCompletionChunk> | null = first;
    const stream: AsyncIterableIterator<ChatCompletionChunk> = {
      next: () => {
        if (!pending) return iterator.next();
        const result = pending;
        pending = null;
        return Promise.resolve(result);
      },
      return: (value?: unknown) => iterator.return(value as undefined),
      [Symbol.asyncIterator]: () => stream,
    };
    return stream;
  }

  /** Prepares the turn; `id` is its completion's id, which is also the turn's id (`TurnTrace.turnId`). */
  private async prepare(
    principal: Principal,
    body: unknown,
    { streaming, id }: { streaming: boolean; id: string },
    call: ChatCallOptions,
  ) {
    const context = call.context ?? { requestId: randomUUID(), protocol: 'internal' };
    const telemetry = this.options.telemetry ?? NO_TELEMETRY;
    const trace: TurnTrace = {
      requestId: context.requestId,
      turnId: id,
      span: telemetry.startTurn({ ...context, userId: principal.userId, streaming }),
      step: null,
      steps: 0,
    };
    const report: SpanEnd['turn'] = {
      outcome: 'completed',
      agentId: null,
      model: null,
      steps: 0,
      upstreamCalls: 0,
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      finishReason: null,
    };
    const timing = call.timing ?? { upstreamMs: 0, upstreamCalls: 0 };
    const deadline = startTurnDeadline(this.options.turnTimeoutMs ?? DEFAULT_TURN_TIMEOUT_MS, call.signal);
    try {
      const options = { ...call, signal: deadline.signal, timing };
      return await this.prepareTurn(principal, body, streaming, options, trace, report, deadline.clear);
    } catch (error) {
      deadline.clear();
      // An admission made before the call (see `admission`) goes with a turn refused before it ran.
      await call.admission?.release();
      endTurn(trace, report, timing, error);
      throw error;
    }
  }

  /**
   * Admits a turn of the caller under its limits, or throws 429 `RATE_LIMITED`; null when no limit
   * applies. For callers that store something before the turn: pass it as the call's `admission`.
   */
  async admit(principal: Principal): Promise<TurnAdmission | null> {
    return (await this.options.limits?.admit(principal)) ?? null;
  }

  private async prepareTurn(
    principal: Principal,
    body: unknown,
    streaming: boolean,
    call: ChatCallOptions & { timing: TurnTiming },
    trace: TurnTrace,
    report: SpanEnd['turn'],
    clearDeadline: () => void,
  ) {
    requireWriteScope(principal);
    assertInputCount(body, this.options.maxInputMessages ?? DEFAULT_MAX_INPUT_MESSAGES);
    const request = parseOrThrow(chatCompletionRequestSchema, body);
    assertSupported(request);
    const replyFormat = this.replyFormat(request);
    const clientTools = clientToolsOf(request);
    const agentId = await this.resolveAgentId(principal, request);
    // Before a conversation is chosen (which may create one): an unknown model changes nothing.
    this.assertKnownModel(request.model, agentId);
    report.agentId = agentId;
    call.timing.agentId = agentId;
    // Before anything is stored or waited for: a refused turn (429) changes nothing.
    const admission = call.admission !== undefined ? call.admission : await this.admit(principal);
    try {
      const turn = { agentId, replyFormat, clientTools, streaming, call, trace, report, clearDeadline, admission };
      return await this.admitted(principal, request, turn);
    } catch (error) {
      await admission?.release();
      throw error;
    }
  }

  private async admitted(
    principal: Principal,
    request: ChatCompletionRequest,
    turn: {
      agentId: string;
      replyFormat: ReplyFormat | null;
      clientTools: ReturnType<typeof clientToolsOf>;
      streaming: boolean;
      call: ChatCallOptions & { timing: TurnTiming };
      trace: TurnTrace;
      report: SpanEnd['turn'];
      clearDeadline: () => void;
      admission: TurnAdmission | null;
    },
  ): Promise<PreparedTurn> {
    const { agentId, replyFormat, clientTools, streaming, call, trace, report, clearDeadline, admission } = turn;
    const { conversationId, keyed } = await this.options.conversations.choose(principal, agentId, {
      named: call.conversationId,
      metadata: request.metadata?.['conversation_id'],
      key: call.conversationKey,
    });
    call.timing.conversationId = conversationId;
    const lockWait = trace.span.child('lock.wait', { agentId });
    let release: Awaited<ReturnType<AgentLock['acquire']>>;
    try {
      // One turn at a time per conversation: the conversations of one agent run side by side.
      release = await this.options.lock.acquire(conversationId, call.signal);
      lockWait.end({});
    } catch (error) {
      lockWait.end({}, error);
      throw error;
    }
    // The turn stops when its client leaves, and also when a distributed lock is lost under it.
    const signal =
      release.lost && call.signal ? AbortSignal.any([call.signal, release.lost]) : (release.lost ?? call.signal);
    try {
      // An ephemeral turn (`store: false`) writes nothing, a rewind included.
      if (request.store !== false && (call.transcript ?? (keyed ? 'reconcile' : 'append')) === 'reconcile') {
        // Under the lock and before the window is read: the turn then sees the rewound conversation.
        call.timing.rewound = await reconcileTranscript(this.options.store, agentId, conversationId, request.messages, {
          maxAttachmentBytes: this.options.maxAttachmentBytes,
          // Reconciling by default only: a request that shares nothing with the chat is not an edit of it.
          unrelated: call.transcript === undefined ? 'append' : 'rewind',
        });
      }
      // Re-read under the lock: the previous turn may have changed memory or pending calls.
      const agent = await this.requireAgent(principal, agentId);
      // Only an agent with MCP tools attached asks for them (cached listings): others pay nothing.
      const mcp = agent.mcpTools?.length ? await this.options.mcpTools?.forTurn(agent, signal) : undefined;
      if (mcp) assertNoMcpClash(clientTools, mcp.prefixes);
      // The window is read here rather than in the runner: its tail is where a failed attempt's input
      // sits, so the retry check needs no read of its own on almost every turn.
      const [pending, window] = await Promise.all([
        this.options.store.listPendingToolCalls(conversationId),
        loadContextWindow(this.options.store, conversationId),
      ]);
      const retryTail = await this.unansweredInput(agent.id, conversationId, window.messages);
      const newInput = extractNewInput(agent.id, request.messages, pending, retryTail, {
        maxAttachmentBytes: this.options.maxAttachmentBytes,
        ...(mcp && { isApprovalCall: (call) => mcp.prefixes.some((prefix) => call.name.startsWith(prefix)) }),
      });
      const model = this.modelFor(agent, request);
      report.model = model;
      const input: TurnInput = {
        agent,
        conversationId,
        model,
        ...newInput,
        sampling: samplingOf(request, agent.id),
        clientTools,
        replyFormat,
        streaming,
        ephemeral: request.store === false,
        ...(request.metadata && { metadata: request.metadata }),
        signal,
        timing: call.timing,
        trace,
        window,
        ...(principal.keyId !== undefined && { keyId: principal.keyId }),
        ...(admission && { admission }),
        ...(mcp && { mcpTools: mcp.tools }),
      };
      const end = async () => {
        clearDeadline();
        try {
          await release();
        } finally {
          await admission?.release();
        }
      };
      const events = finishing(this.options.runner.run(input), end, { trace, report, timing: call.timing });
      const turn: PreparedTurn = { request, model, events };
      return turn;
    } catch (error) {
      await release();
      throw error;
    }
  }

  /**
   * A 422 naming `model` when the request's `model` is neither the agent nor a model a provider
   * serves (an unknown `provider/model`). Callers that store anything before the turn (a fork of the
   * Responses API) call it first.
   */
  assertKnownModel(model: string, agentId: string): void {
    if (this.options.provider.offline || namesAgent(model, agentId)) return;
    this.options.provider.checkModel?.(model, ['body', 'model']);
  }

  /** The compiled `response_format`; the offline demo model cannot write JSON, so it refuses one. */
  private replyFormat(request: ChatCompletionRequest): ReplyFormat | null {
    const format = replyFormatOf(request);
    if (format && this.options.provider.offline) {
      throw fieldError(
        ['body', 'response_format', 'type'],
        `response_format "${format.type}" cannot be honoured by the offline demo model (memgate-offline), which ` +
          'only writes text: configure an upstream LLM (MEMGATE_LLM_BASE_URL) for structured output.',
        'unsupported_parameter',
      );
    }
    return format;
  }

  /**
   * The client input a failed attempt stored at the end of the history (see `unansweredInput`). The
   * window ends where the history ends, so its tail answers unless the whole window is such input.
   */
  /**
   * Fits every conversation of the agent to a context window of `contextWindow` tokens now (one
   * that is about to be made smaller), one at a time under each conversation's lock, as a turn
   * would before its first call. Returns how many conversations were summarised.
   */
  async compact(principal: Principal, agentId: string, contextWindow: number, signal?: AbortSignal): Promise<number> {
    let summarised = 0;
    let before: string | undefined;
    for (;;) {
      const page = await this.options.store.listConversations(agentId, { limit: 100, ...(before && { before }) });
      for (const conversation of page) {
        const release = await this.options.lock.acquire(conversation.id, signal);
        try {
          const agent = { ...(await this.requireAgent(principal, agentId)), contextWindow };
          const call = { signal, keyId: principal.keyId };
          if (await this.options.runner.compact(agent, conversation.id, call)) summarised++;
        } finally {
          await release();
        }
      }
      if (page.length < 100 || !page[0]) return summarised;
      before = page[0].id;
    }
  }

  private async unansweredInput(agentId: string, conversationId: string, window: StoredMessage[]) {
    const inWindow = unansweredInput(window, isReservedToolName);
    if (inWindow.length < window.length) return inWindow;
    for (let limit = RETRY_LOOKBACK; ; limit *= 4) {
      const recent = await this.options.store.listMessages(agentId, { limit, conversationId });
      const tail = unansweredInput(recent, isReservedToolName);
      // Read further only while everything read so far is such input (the tail may go on).
      if (tail.length < recent.length || recent.length < limit || limit >= RETRY_LOOKBACK_MAX) return tail;
    }
  }

  /** The agent is named by `user`, else by `model` (for clients that can only pick a model). */
  private async resolveAgentId(principal: Principal, request: ChatCompletionRequest): Promise<string> {
    for (const candidate of [request.user, request.model]) {
      if (!candidate) continue;
      const agent = await this.options.store.getAgent(principal.userId, candidate);
      if (agent) return agent.id;
    }
    throw new MemgateError(
      'NOT_FOUND',
      'No agent found: set `user` (or `model`) to the id of one of your agents (see GET /v1/agents).',
      { param: request.user ? 'user' : 'model', detailCode: 'agent_not_found' },
    );
  }

  private async requireAgent(principal: Principal, agentId: string): Promise<Agent> {
    const agent = await this.options.store.getAgent(principal.userId, agentId);
    if (!agent) throw new MemgateError('NOT_FOUND', `Agent ${agentId} not found.`, { detailCode: 'agent_not_found' });
    return agent;
  }

  /** `model` overrides the agent's model for this turn unless it is the agent id itself. */
  private modelFor(agent: Agent, request: ChatCompletionRequest): string {
    const provider = this.options.provider;
    if (provider.offline) return provider.models[0] ?? 'memgate-offline';
    return namesAgent(request.model, agent.id) ? agent.model : request.model;
  }
}

/** A client tool named like one of the agent's MCP tools (`server__…`) would be ambiguous: 422. */
function assertNoMcpClash(clientTools: ClientTools | null, prefixes: string[]): void {
  clientTools?.definitions.forEach((definition, index) => {
    const name = definition.function.name;
    const prefix = prefixes.find((candidate) => name.startsWith(candidate));
    if (!prefix) return;
    const loc =
      clientTools.style === 'function'
        ? ['body', 'functions', index, 'name']
        : ['body', 'tools', index, 'function', 'name'];
    throw fieldError(
      loc,
      `The tool name "${name}" is reserved for the agent's MCP tools (server "${prefix.slice(0, -2)}" is attached to it).`,
      'reserved_tool_name',
    );
  });
}

/** Whether the request's `model` names the agent (any agent id) rather than the turn's upstream model. */
function namesAgent(model: string, agentId: string): boolean {
  return model === agentId || model.startsWith('agent-');
}

/**
 * Holds the agent lock for as long as the turn's events are consumed, and reports the turn as they
 * pass: its first output (time to first token), then its end with outcome, steps and usage. A turn
 * abandoned by its consumer ends as `cancelled`. One generator for both: it sits on every chunk.
 */
async function* finishing(
  events: AsyncGenerator<TurnEvent>,
  release: () => Promise<void>,
  { trace, report, timing }: { trace: TurnTrace; report: SpanEnd['turn']; timing: TurnTiming },
): AsyncGenerator<TurnEvent> {
  let first = true;
  let failure: unknown;
  report.outcome = 'cancelled';
  try {
    for await (const event of events) {
      if (first && event.type !== 'end') {
        first = false;
        trace.span.firstOutput();
      }
      if (event.type === 'end') {
        const toolCalls = event.finishReason === 'tool_calls' || event.finishReason === 'function_call';
        report.outcome = toolCalls ? 'tool_calls' : 'completed';
        report.finishReason = event.finishReason;
        report.usage = event.usage;
      }
      yield event;
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    try {
      await release();
    } finally {
      endTurn(trace, report, timing, failure);
    }
  }
}

function endTurn(trace: TurnTrace, report: SpanEnd['turn'], timing: TurnTiming, error: unknown): void {
  if (error !== undefined) report.outcome = errorOutcome(error);
  report.steps = trace.steps;
  report.upstreamCalls = timing.upstreamCalls;
  trace.span.end(report, error);
}

function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
