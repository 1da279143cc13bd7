/** What a key may do: `full` runs turns and writes, `read` only reads agents, messages and memory. */
export type KeyScope = 'full' | 'read';

/** Who is calling: resolved from the bearer token. */
export interface Principal {
  userId: string;
  /** The API key that authenticated the caller; absent for the CLI, which acts as the user. */
  keyId?: string;
  /** Absent means `full`. */
  scope?: KeyScope;
  /** When the key stops working (ISO 8601); null or absent when it never expires. */
  expiresAt?: string | null;
}

export interface User {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyRecord {
  id: string;
  userId: string;
  /** First characters of the key, to tell keys apart in listings; never enough to use it. */
  prefix: string;
  createdAt: string;
  scope: KeyScope;
  /** ISO 8601; null when the key never expires. */
  expiresAt: string | null;
  /** When the key last authenticated a request, to the minute (see `AdminService`); null when never. */
  lastUsedAt: string | null;
}

export interface MemoryBlock {
  /** The block's id (`block-…`); stores always return it, absent on a block not stored yet. */
  id?: string;
  /** 1–64 characters of `[a-z0-9_-]`, unique among an agent's blocks. */
  label: string;
  value: string;
  /** Most characters the value may hold. */
  limit: number;
  /** What the block is for; rendered in the prompt with the block, as Letta does. */
  description?: string | null;
  /** The agent's memory tools may not write it (the API still may). */
  readOnly?: boolean;
  /**
   * Grows by one with every write, so that a write made from an older read can be told apart (two
   * conversations of one agent, or two agents sharing the block, edit it). Stores always return
   * it; absent on a block not stored yet.
   */
  version?: number;
  /** How many agents the block is attached to; more than one is a shared block. Stores return it. */
  agentCount?: number;
}

/** Who wrote a block's value: the agent through its tools, a user through the API, or an import. */
export type BlockActor = 'agent' | 'user' | 'import';

/** A memory block as its own entity (`/v1/blocks`): owned by a user, attached to any of their agents. */
export interface Block {
  id: string;
  userId: string;
  label: string;
  value: string;
  limit: number;
  description: string | null;
  readOnly: boolean;
  version: number;
  /** Up to 16 string pairs, as OpenAI's `metadata`; null when none were set. */
  metadata: Record<string, string> | null;
  /** The agents it is attached to, in the order they attached it. */
  agentIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** One write of a block's value, as `GET /v1/blocks/{id}/history` lists it. */
export interface BlockHistoryEntry {
  version: number;
  value: string;
  actor: BlockActor;
  /** The agent whose turn wrote it (actor `agent`), else null. */
  agentId: string | null;
  /** The message of the turn step that wrote it (the assistant message with the tool call), else null. */
  messageId: string | null;
  at: string;
}

export interface Agent {
  id: string;
  userId: string;
  name: string;
  model: string;
  system: string;
  contextWindow: number;
  createdAt: string;
  /** The agent's blocks, in the order they were attached (each with `id`, `version`, `agentCount`). */
  memory: MemoryBlock[];
  /** Free-form tags (each 1–64 characters), in the order given; [] when none. */
  tags: string[];
  /** Up to 16 string pairs; null when none were set. */
  metadata: Record<string, string> | null;
  /** Its model roles and per-turn limits. */
  settings: AgentSettings;
  /**
   * The MCP tools attached to it (`PUT /v1/agents/{id}/tools`), read with the agent row so a turn
   * needs no query of its own for them; the stores always fill it ([] when none).
   */
  mcpTools?: AgentMcpTool[];
}

/** One MCP attachment of an agent: a server's tool, or (`tool: null`) all of its allowed tools. */
export interface AgentMcpTool {
  serverId: string;
  tool: string | null;
}

/** An agent's model roles (besides its `model`) and the limits of each of its turns. */
export interface AgentSettings {
  /** The model that writes its summaries; null: the agent's own model. */
  summaryModel: string | null;
  /** The model that embeds its archival passages; null: the server's (`MEMGATE_EMBEDDING_MODEL`). */
  embeddingModel: string | null;
  /** Tried in order when a call fails before any byte reached the client (429, 5xx, timeout, connection). */
  fallbackModels: string[];
  /** Upstream calls per turn at most; null: the server's `MEMGATE_MAX_STEPS`. */
  maxStepsPerTurn: number | null;
  /** Tokens (prompt and completion, over every call of a turn) after which no further call is made; null: none. */
  maxTokensPerTurn: number | null;
}

/** The most upstream calls an agent's turn may be allowed (`max_steps_per_turn`). */
export const MAX_STEPS_PER_TURN = 100;

/** The settings of an agent made without any. */
export const DEFAULT_AGENT_SETTINGS: Readonly<AgentSettings> = Object.freeze({
  summaryModel: null,
  embeddingModel: null,
  fallbackModels: [],
  maxStepsPerTurn: null,
  maxTokensPerTurn: null,
});

/**
 * One thread of an agent: its own message window, summary, pending client tool calls and lock.
 * Memory blocks and archival memory belong to the agent and are shared by all its conversations.
 * Every agent has a default conversation whose id is the agent's id, holding the history that
 * clients which name no conversation write to.
 */
export interface Conversation {
  id: string;
  agentId: string;
  name: string | null;
  /** Up to 16 string pairs, as OpenAI's `metadata`; null when none were set. */
  metadata: Record<string, string> | null;
  createdAt: string;
  updatedAt: string;
}

/** True for the agent's default conversation (see `Conversation`). */
export function isDefaultConversation(conversation: Pick<Conversation, 'id' | 'agentId'>): boolean {
  return conversation.id === conversation.agentId;
}

export type StoredRole = 'user' | 'assistant' | 'tool' | 'system';

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A message as kept in an agent's history (recall memory). */
export interface StoredMessage {
  id: string;
  agentId: string;
  /** The conversation it belongs to (the agent's id for its default conversation). */
  conversationId: string;
  /** Monotonic position in the agent's history, across all its conversations. */
  seq: number;
  role: StoredRole;
  content: string | null;
  toolCalls: ToolCall[] | null;
  toolCallId: string | null;
  /** Tool name for `tool` messages, sender name for `user` messages. */
  name: string | null;
  createdAt: string;
  /**
   * The message's size in prompt tokens, counted once when it was stored so that building a
   * prompt never re-tokenizes history. Absent for messages stored before counts were kept.
   */
  tokenCount?: number;
  /** The request's `metadata`, kept with every message its turn stored; absent when it had none. */
  metadata?: Record<string, string>;
  /** The images a user message carried, in the order it sent them; absent when it had none. */
  attachments?: Attachment[];
  /**
   * True when a rewind hid it: it is kept (and listed with `include_hidden`) but is out of the
   * window and of search until a restore. Absent on visible messages.
   */
  hidden?: boolean;
}

/** OpenAI's `image_url.detail`. */
export type ImageDetail = 'auto' | 'low' | 'high';

/**
 * An image part of a user message, stored with it (the attachments table): either the URL the
 * client gave (never fetched) or the decoded bytes of a `data:` URI. Exactly one of `url` and
 * `data` is set.
 */
export interface Attachment {
  /** Where it stood in the message: the number of characters of the message's `content` before it. */
  textOffset: number;
  detail: ImageDetail | null;
  url: string | null;
  /** The media type of `data` (`image/png`, …); null for a URL. */
  mediaType: string | null;
  data: Uint8Array | null;
}

/** A message to store; its conversation is the step's (see `TurnStep.conversationId`). */
export type NewMessage = Omit<StoredMessage, 'seq' | 'conversationId' | 'hidden'>;

/** A tool call the agent made to a client tool, waiting for the client's `tool` message. */
export interface PendingToolCall {
  agentId: string;
  toolCallId: string;
  name: string;
  arguments: string;
  /** `tool` for tools/tool_choice, `function` for the legacy functions/function_call. */
  style: 'tool' | 'function';
  createdAt: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Present when the upstream reported prompt tokens served from its prompt cache. */
  prompt_tokens_details?: { cached_tokens: number };
}

/** A passage of an agent's archival memory. */
export interface Passage {
  id: string;
  agentId: string;
  content: string;
  /** The embedding model its vector came from; null when it was stored without one. */
  embeddingModel: string | null;
  createdAt: string;
}

/** A passage to store, with its L2-normalised vector when an embedding model is configured. */
export interface NewPassage extends Passage {
  embedding: Float32Array | null;
}

/** The recursive summary of the messages that have left an agent's context window. */
export interface ContextSummary {
  text: string;
  /** How many messages it covers, in total over every summarisation. */
  messageCount: number;
  updatedAt: string;
}

/** What an upstream call was for: a step of a turn, a summary of what left the window, or an embedding. */
export type UsagePurpose = 'step' | 'summary' | 'embedding';

/**
 * One upstream call, as the usage history keeps it: every call is recorded, failed ones too, so that
 * what a user, key or agent costs can be told (and billed) after the fact.
 */
export interface UsageRecord {
  id: string;
  /** When the call started (ISO 8601). */
  at: string;
  userId: string;
  /** The API key of the request; null for the CLI, which acts as the user. */
  keyId: string | null;
  /** Null for a call made for no agent. */
  agentId: string | null;
  /** The conversation of the turn, when the call was made in one. */
  conversationId: string | null;
  /**
   * The turn the call was made for (the turn's completion id): every call of one turn (its steps,
   * summaries, embeddings, fallbacks) carries it. Null for a call made outside a turn (an archival
   * request's embedding, a compaction, an Agent File import).
   */
  turnId: string | null;
  /** The model as memgate addressed it (`provider/model` or a bare name). */
  model: string;
  /** `default` for a bare model name, else the prefix of `provider/model`. */
  provider: string;
  purpose: UsagePurpose;
  promptTokens: number;
  /** Prompt tokens the upstream served from its prompt cache (also counted in `promptTokens`). */
  cachedTokens: number;
  completionTokens: number;
  /** From the model's prices; null when the model has none. */
  costUsd: number | null;
  latencyMs: number;
  /** `ok`, or the error code the call failed with (`upstream_error`, `timeout`, `rate_limited`, `cancelled`, …). */
  outcome: string;
}

/** How a usage summary is grouped: by agent, API key, model, or UTC day. */
export type UsageGroupBy = 'agent' | 'key' | 'model' | 'day';

/** One group of a usage summary: the calls of one agent, key, model or day. */
export interface UsageTotals {
  calls: number;
  /** Calls whose outcome was not `ok`. */
  failedCalls: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  /** Sum of the priced calls' costs (0 when none was priced). */
  costUsd: number;
}

/** A group of a usage summary: `key` is the agent id, key id, model or day (`YYYY-MM-DD`); null for calls with none. */
export interface UsageGroup extends UsageTotals {
  key: string | null;
}

/**
 * The turns of a usage summary: distinct non-null turn ids per group, and over the whole range. A
 * turn whose calls fall in two groups (two days, two models) counts in each, so the groups may sum
 * to more than the total. Kept apart from the sums: a distinct count costs what the budget checks,
 * which read the sums on every turn, should not pay.
 */
export interface UsageTurnCounts {
  /** The groups with at least one turn, keyed as the summary groups; the others have none. */
  groups: { key: string | null; turns: number }[];
  total: number;
}
