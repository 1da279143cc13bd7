import type { ContextWindowState } from '../context/context-manager.ts';
import type { Agent, NewMessage, PendingToolCall, ToolCall, Usage } from '../domain/types.ts';
import type { StopReason } from '../limits/limit-types.ts';
import type { TurnAdmission } from '../limits/turn-admission.ts';
import type { LlmMessage, LlmToolChoice, LlmToolDefinition, SamplingParams } from '../llm/provider.ts';
import type { TelemetrySpan } from '../telemetry/telemetry.ts';
import type { UsageLog } from '../usage/usage-log.ts';
import type { ReplyFormat } from './reply-format.ts';
import type { AgentTool } from './tool-helpers.ts';

/** Tools the client offered for this turn, and how it asked for them to be used. */
export interface ClientTools {
  definitions: LlmToolDefinition[];
  /** `function` when the client used the legacy functions/function_call fields. */
  style: 'tool' | 'function';
  /** Applied to the first upstream call of the turn only: a forced call happens once. */
  firstStepChoice?: LlmToolChoice;
  /** `required` offers only the client tools on the first call, so one must be chosen. */
  onlyClientToolsFirst: boolean;
  parallelToolCalls?: boolean;
}

/** Everything one turn needs, resolved and validated by the dispatcher. */
export interface TurnInput {
  agent: Agent;
  /** The conversation the turn continues (the agent's id for its default conversation); its lock is held. */
  conversationId: string;
  /** The model the upstream is asked for. */
  model: string;
  /** New input to store first (tool results, then user messages). */
  newMessages: NewMessage[];
  /** Pending client tool calls that the new messages answer (or cancel). */
  resolvedToolCallIds: string[];
  /** `system`/`developer` messages of the request: this turn only, never stored. */
  turnInstructions: LlmMessage[];
  sampling: SamplingParams;
  clientTools: ClientTools | null;
  /** `response_format` json_object/json_schema: the reply must validate (null: a text turn). */
  replyFormat: ReplyFormat | null;
  /** Stream upstream calls so the reply can be relayed as it is generated. */
  streaming: boolean;
  /**
   * `store: false`: the turn reads the agent's memory and history and writes nothing — no messages,
   * no memory edits, no summary — and publishes no events. Memory tools answer that memory is
   * read-only in this turn.
   */
  ephemeral: boolean;
  /** The request's `metadata`, kept with every message the turn stores. */
  metadata?: Record<string, string>;
  signal?: AbortSignal;
  /** Filled in by the turn: milliseconds spent waiting on the upstream. */
  timing: TurnTiming;
  /** The turn's telemetry: its span, the running step's, and its request id. */
  trace: TurnTrace;
  /** The conversation's window, read under the lock by the dispatcher; the runner reads it when absent. */
  window?: ContextWindowState;
  /** The API key of the request, kept in the usage records; absent for the CLI. */
  keyId?: string;
  /** The turn's usage records not stored yet: set by the runner, which stores them with its steps. */
  usage?: UsageLog;
  /** The limits the turn was admitted under (tpm, budgets); absent when none applies. */
  admission?: TurnAdmission;
  /**
   * The agent's attached MCP tools for this turn, by the name the model sees (beside its own tools).
   * Absent for an agent with none: its turn costs nothing more.
   */
  mcpTools?: ReadonlyMap<string, AgentTool>;
  /** Approved MCP calls whose tool messages (in `newMessages`) get the tool's result before they are stored. */
  approvedCalls?: ApprovedCall[];
}

/** A call the client approved: run at the turn's start, its result written into `message`. */
export interface ApprovedCall {
  call: PendingToolCall;
  message: NewMessage;
}

/** Where a turn reports to, and how many steps it has run. */
export interface TurnTrace {
  /** Sent upstream as `x-request-id` on every call of the turn. */
  requestId: string;
  /**
   * The turn's own id: the id of the completion it answers with (`chatcmpl-…`), unique per turn
   * where a request id may repeat (a client's `x-request-id`). Kept in every usage record of the turn.
   */
  turnId: string;
  span: TelemetrySpan<'turn'>;
  /** The running step: upstream calls, tools and commits are its children (the turn's before the first). */
  step: TelemetrySpan<'step'> | null;
  steps: number;
}

export interface TurnTiming {
  upstreamMs: number;
  upstreamCalls: number;
  /** The agent the turn runs for, once resolved (for the adapter's request log line). */
  agentId?: string;
  /** The conversation it continues, once resolved (for the log line and the response header). */
  conversationId?: string;
  /** The id of the last message the turn stored, once it stored one (a stored response remembers it). */
  lastMessageId?: string;
  /** How many messages transcript reconciliation hid before the turn ran (absent or 0: none). */
  rewound?: number;
}

/** What a turn reports as it runs; the dispatcher turns these into chunks or a completion. */
export type TurnEvent =
  | { type: 'content'; delta: string }
  /** The upstream declined to answer (OpenAI's `refusal`), passed through as it is. */
  | { type: 'refusal'; delta: string }
  | { type: 'client_tool_calls'; calls: ToolCall[]; style: 'tool' | 'function' }
  | {
      type: 'end';
      finishReason: 'stop' | 'length' | 'tool_calls' | 'function_call' | 'content_filter';
      model: string;
      usage: Usage;
      /** Why a turn ended before the agent answered (`finishReason` `length`): a per-turn limit or a budget. */
      stopReason?: StopReason;
    };

export type { LlmToolDefinition };
