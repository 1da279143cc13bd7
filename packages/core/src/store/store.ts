import type {
  Agent,
  AgentMcpTool,
  AgentSettings,
  ApiKeyRecord,
  Block,
  BlockActor,
  BlockHistoryEntry,
  ContextSummary,
  Conversation,
  MemoryBlock,
  NewMessage,
  NewPassage,
  Passage,
  PendingToolCall,
  StoredMessage,
  UsageGroup,
  UsageGroupBy,
  UsageRecord,
  UsageTurnCounts,
  User,
} from '../domain/types.ts';
import type { LimitsRecord } from '../limits/limit-types.ts';
import type { McpServerPatch, McpServerRecord } from '../mcp/mcp-types.ts';
import type { ResponseRecord } from '../responses/response-record.ts';
import type { PassageSearch, SearchPage, TextSearch } from './search.ts';

/**
 * An agent as created: every field is chosen by the core, the store persists it as given. `memory`
 * are new blocks created with the agent (each with an `id`); `blockIds` are existing blocks of the
 * same user attached after them (NOT_FOUND for another user's or a missing one; a label that
 * collides with another of the agent's blocks is BAD_USER_INPUT, detail code `label_conflict`).
 */
export type NewAgent = Omit<Agent, 'memory'> & {
  memory: (MemoryBlock & { id: string })[];
  blockIds?: string[];
};

/** A block as created through `/v1/blocks` (attached to no agent yet). */
export type NewBlock = Omit<Block, 'agentIds' | 'version' | 'updatedAt'>;

/** One agent of an import (Agent File), written with everything it holds. */
export interface AgentImport {
  /** `memory`: blocks created with it; `blockIds`: blocks of the import's `blocks`, or existing ones of the user. */
  agent: NewAgent;
  /** Its history, oldest first, in its default conversation; `createdAt` and ids kept as given. */
  messages: NewMessage[];
  /** Index in `messages` of the first message in the context window (`messages.length`: none is). */
  windowStart: number;
  /** The summary of the messages before the window, or null. */
  summary: ContextSummary | null;
  passages: NewPassage[];
}

/**
 * An import: blocks several imported agents share (created standalone: false), then the agents.
 * Every block write of an import is recorded with actor `import`.
 */
export interface AgentBundle {
  blocks: (MemoryBlock & { id: string; userId: string })[];
  agents: AgentImport[];
}

/** The fields of an agent `PATCH` may change; absent fields stay. */
export interface AgentPatch {
  name?: string;
  model?: string;
  system?: string;
  contextWindow?: number;
  tags?: string[];
  metadata?: Record<string, string> | null;
  /** The whole new settings (the service merges a partial change into the current ones). */
  settings?: AgentSettings;
}

/** The fields of a block update; absent fields stay. */
export interface BlockPatch {
  label?: string;
  value?: string;
  limit?: number;
  description?: string | null;
  readOnly?: boolean;
  metadata?: Record<string, string> | null;
}

/** Who makes a block write, and from which version (see `Store.updateBlock`). */
export interface BlockWrite {
  actor: BlockActor;
  agentId?: string | null;
  messageId?: string | null;
  /** Write only if the block is still at this version, else CONFLICT (`memory_conflict`). */
  expectedVersion?: number;
}

/**
 * One atomic step of a turn: the messages it produced, the memory blocks it changed, the archival
 * passages it inserted, the client tool calls it opened or answered, and a move of the context
 * window with the summary of what left it. A store writes all of it or none of it.
 */
export interface TurnStep {
  agentId: string;
  /** The conversation whose messages, window, summary and pending calls the step writes; default: the agent's default conversation (`agentId`). */
  conversationId?: string;
  messages: NewMessage[];
  /**
   * New values of memory blocks. With `version` (the version the edit was made from), the write
   * happens only if the block is still at that version; otherwise the whole step fails with
   * CONFLICT (detail code `memory_conflict`) and the caller re-applies the edit to the new value.
   */
  memory?: { label: string; value: string; version?: number }[];
  /**
   * The message the block writes are recorded with in their history (actor `agent`): the step's
   * assistant message that made the tool calls. Default: the step's first message.
   */
  memoryMessageId?: string;
  passages?: NewPassage[];
  addPendingToolCalls?: PendingToolCall[];
  resolvePendingToolCallIds?: string[];
  /**
   * New start of the context window: messages with a lower seq leave the context (they stay in
   * the history and stay searchable). Written together with `summary`, so a summary and the
   * window it replaces can never disagree.
   */
  contextStartSeq?: number;
  /** Replaces the agent's recursive summary. */
  summary?: ContextSummary;
  /**
   * Usage records of the upstream calls that led to this step, written in its transaction: a turn
   * records its usage without a round trip of its own.
   */
  usage?: UsageRecord[];
}

/** What a usage summary covers: one user's calls (or every user's: `userId` null), `from` ≤ at < `to`. */
export interface UsageQuery {
  userId: string | null;
  groupBy: UsageGroupBy;
  /** ISO 8601, inclusive. */
  from: string;
  /** ISO 8601, exclusive. */
  to: string;
}

/** A page of a history-like list: the newest `limit` items before the cursor, oldest first. */
export interface MessagePage {
  /** Page size; the newest `limit` messages before the cursor, returned oldest first. */
  limit: number;
  /** A message id: only messages older than it. */
  before?: string;
}

/** A page of an agent's messages: one conversation's, or (no `conversationId`) all of them. */
export interface HistoryPage extends MessagePage {
  conversationId?: string;
  /** Also the messages a rewind hid (marked `hidden`); by default they are left out. */
  includeHidden?: boolean;
}

/**
 * A fork: `conversation` is created with a copy (new ids, new seqs, same content, times and
 * images) of the visible history of `sourceId` through the message at `atSeq` and the tool
 * results right after it that answer it, or all of it when `atSeq` is null.
 * When the cut is at or after the source's window start, the fork keeps the source's summary and
 * its window starts at the copy of the source's first message in window; before it, the fork has
 * no summary and every copied message is in its window. Pending client tool calls are not copied.
 */
export interface ConversationFork {
  conversation: Conversation;
  sourceId: string;
  atSeq: number | null;
}

/** What a conversation's name and metadata change to; absent fields stay. */
export interface ConversationPatch {
  name?: string | null;
  metadata?: Record<string, string> | null;
  updatedAt: string;
}

/**
 * Persistence behind every protocol. Every method is async so that a networked store
 * (PostgreSQL) is a drop-in for the embedded one. Agent reads are scoped by user, so one user
 * can never reach another's agents.
 */
export interface Store {
  /** Creates or upgrades the schema. Safe to call on every start. */
  migrate(): Promise<void>;
  /** Throws when the store cannot serve. */
  ping(): Promise<void>;
  close(): Promise<void>;

  createUser(user: User): Promise<User>;
  getUser(userId: string): Promise<User | null>;
  getUserByName(name: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  /** Deletes the user with their keys and agents (and all the agents hold), atomically. True when it existed. */
  deleteUser(userId: string): Promise<boolean>;

  createApiKey(record: ApiKeyRecord & { keyHash: string }): Promise<ApiKeyRecord>;
  /** The key with this hash, or null (deleting a key removes it). Expired keys are returned: the caller decides. */
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  /** The user's keys, oldest first, never their hashes. */
  listApiKeys(userId: string): Promise<ApiKeyRecord[]>;
  /** Records when a key was last used; a no-op for an unknown key. */
  touchApiKey(keyId: string, usedAt: string): Promise<void>;
  /** True when a key was deleted. */
  deleteApiKey(keyId: string): Promise<boolean>;
  /** A key by id (without its secret), or null. */
  getApiKey(keyId: string): Promise<ApiKeyRecord | null>;
  /** Creates or replaces a user's or a key's limits (migration 12); the user or key exists. */
  setLimits(record: LimitsRecord): Promise<void>;
  /** The limits stored for these subjects (user or key ids); subjects without any are left out. */
  getLimits(subjects: readonly string[]): Promise<LimitsRecord[]>;
  /** Deletes a subject's limits; true when it had some. They also go with their user or key. */
  deleteLimits(subject: string): Promise<boolean>;

  /** Creates the agent with its default conversation (whose id is the agent's id). */
  createAgent(agent: NewAgent): Promise<Agent>;
  getAgent(userId: string, agentId: string): Promise<Agent | null>;
  listAgents(userId: string): Promise<Agent[]>;
  /**
   * Deletes the agent with its messages and pending calls, and its blocks that no other agent is
   * attached to, except blocks made through `createBlock` (`/v1/blocks`), which stay. True when it
   * existed.
   */
  deleteAgent(userId: string, agentId: string): Promise<boolean>;
  /**
   * Sets the value of the agent's block with this label (actor `user`, recorded in its history);
   * null when the agent has no such block.
   */
  setMemoryBlock(agentId: string, label: string, value: string): Promise<MemoryBlock | null>;
  /** Changes the agent's settings; null when it is not the user's. */
  updateAgent(userId: string, agentId: string, patch: AgentPatch): Promise<Agent | null>;

  /** Creates a block with its first history entry (version 1, actor `user`). */
  createBlock(block: NewBlock): Promise<Block>;
  /** The user's block, or null. */
  getBlock(userId: string, blockId: string): Promise<Block | null>;
  /** A page of the user's blocks, oldest first (paging by block id as `listMessages` does), optionally one label's. */
  listBlocks(userId: string, page: MessagePage & { label?: string }): Promise<Block[]>;
  /**
   * Updates the user's block and, when its value changes, records the write in its history (the
   * version grows with every value write). Null when it is not the user's. CONFLICT
   * (`memory_conflict`) when `write.expectedVersion` is not the current version; a new label that
   * collides with another block of an attached agent is BAD_USER_INPUT (`label_conflict`).
   */
  updateBlock(userId: string, blockId: string, patch: BlockPatch, write: BlockWrite): Promise<Block | null>;
  /**
   * Deletes the user's block with its history. A block attached to agents is detached first only
   * with `force`; without it the answer is `attached` and nothing changes.
   */
  deleteBlock(userId: string, blockId: string, force: boolean): Promise<'deleted' | 'attached' | 'missing'>;
  /**
   * Attaches the user's block to the user's agent (after its other blocks); attaching it again is a
   * no-op. NOT_FOUND for a missing agent or block; BAD_USER_INPUT (`label_conflict`) when the
   * agent has another block with that label.
   */
  attachBlock(userId: string, agentId: string, blockId: string): Promise<Agent>;
  /** Detaches a block from the user's agent; false when it was not attached (or either is missing). */
  detachBlock(userId: string, agentId: string, blockId: string): Promise<boolean>;
  /**
   * Writes a whole import in one transaction and returns its agents: all of it or, on any error
   * (a dangling block id, a repeated id), none of it.
   */
  importAgents(bundle: AgentBundle): Promise<Agent[]>;
  /** The user's block's writes, newest first, `before` a version; null when it is not the user's. */
  blockHistory(
    userId: string,
    blockId: string,
    page: { limit: number; before?: number },
  ): Promise<BlockHistoryEntry[] | null>;

  /** NOT_FOUND when the agent does not exist, CONFLICT for a repeated id. */
  createConversation(conversation: Conversation): Promise<Conversation>;
  /** The conversation when it exists and its agent belongs to the user, else null. */
  getConversation(userId: string, conversationId: string): Promise<Conversation | null>;
  /** A page of the agent's conversations, oldest first (same paging as `listMessages`, by conversation id). */
  listConversations(agentId: string, page: MessagePage): Promise<Conversation[]>;
  /** Null when there is no such conversation. */
  updateConversation(conversationId: string, patch: ConversationPatch): Promise<Conversation | null>;
  /** Deletes a conversation with its messages and pending calls. True when it existed. */
  deleteConversation(conversationId: string): Promise<boolean>;
  /**
   * The conversation an outside key (a chat UI's chat id) maps to for this agent, creating
   * `create` and the mapping atomically on first use; concurrent first uses get one conversation.
   */
  conversationForKey(agentId: string, key: string, create: Conversation): Promise<Conversation>;

  /**
   * Forks a conversation (see `ConversationFork`) in one transaction and returns the new one;
   * NOT_FOUND when the source does not exist.
   */
  forkConversation(fork: ConversationFork): Promise<Conversation>;
  /**
   * Rewinds a conversation: hides its visible messages from the first one after `afterSeq` that is
   * not a tool result on (tool results stay with the call they answer), closes the pending client
   * tool calls those messages made, and, when that reaches below the window start, drops the
   * summary and puts the whole visible history back in the window. Returns how many it hid.
   */
  hideMessagesAfter(conversationId: string, afterSeq: number): Promise<number>;
  /**
   * Hides the conversation's visible messages with these ids (ids of other conversations or
   * already hidden are skipped), as a rewind hides: out of the window, search and lists, their
   * pending client tool calls closed. The window start and summary stay. Returns how many it hid.
   */
  hideMessages(conversationId: string, messageIds: string[]): Promise<number>;
  /** Brings back every hidden message of a conversation (into search, and into the window where they are at or after its start); returns how many. */
  restoreMessages(conversationId: string): Promise<number>;
  /** One message of the agent's by id (hidden ones too, marked), or null. */
  getMessage(agentId: string, messageId: string): Promise<StoredMessage | null>;

  /** A page of the history, oldest first. Never throws NOT_FOUND: an unknown cursor gives []. */
  listMessages(agentId: string, page: HistoryPage): Promise<StoredMessage[]>;
  /** The messages that are in a conversation's context window, oldest first. */
  listContextMessages(conversationId: string): Promise<StoredMessage[]>;
  /** A conversation's open client tool calls, in the order they were opened. */
  listPendingToolCalls(conversationId: string): Promise<PendingToolCall[]>;
  /** Writes one turn step atomically and returns the stored messages (with `seq`). */
  commitStep(step: TurnStep): Promise<StoredMessage[]>;
  /** A conversation's recursive summary of the messages before its context window, or null. */
  getContextSummary(conversationId: string): Promise<ContextSummary | null>;

  /** Stores passages atomically (all or none); NOT_FOUND for an unknown agent, CONFLICT for a repeated id. */
  insertPassages(passages: NewPassage[]): Promise<Passage[]>;
  /** A page of the agent's archival memory, oldest first (same paging as `listMessages`). */
  listPassages(agentId: string, page: MessagePage): Promise<Passage[]>;
  /** True when the agent had that passage. */
  deletePassage(agentId: string, passageId: string): Promise<boolean>;
  /** Ranks the agent's passages by text relevance, fused with vector similarity when a vector is given. */
  searchPassages(agentId: string, search: PassageSearch): Promise<SearchPage<Passage>>;
  /**
   * Ranks the agent's whole history by text relevance: user messages, and what the assistant
   * wrote (its content and the text it sent with send_message; see `messageSearchText`).
   */
  searchMessages(agentId: string, search: TextSearch & { conversationId?: string }): Promise<SearchPage<StoredMessage>>;

  /** Stores a response record (Responses API); CONFLICT for a repeated id, NOT_FOUND for an unknown conversation. */
  saveResponse(record: ResponseRecord): Promise<void>;
  /** The response when it exists and its agent belongs to the user, else null. */
  getResponse(userId: string, responseId: string): Promise<ResponseRecord | null>;
  /** Deletes the user's response record (not its messages). True when it existed. */
  deleteResponse(userId: string, responseId: string): Promise<boolean>;

  /**
   * Stores usage records of calls no step commits (failed calls, calls of a turn that stored
   * nothing, embeddings). Records stay when their agent is deleted and go with their user.
   */
  recordUsage(records: UsageRecord[]): Promise<void>;
  /** The query's usage records summed per group, ordered by group key (nulls last). */
  summariseUsage(query: UsageQuery): Promise<UsageGroup[]>;
  /** The distinct turns (non-null `turnId`s) of the query's usage records, per group and over the range. */
  countUsageTurns(query: UsageQuery): Promise<UsageTurnCounts>;

  /** Stores a user's MCP server; CONFLICT when the user has one of that name, NOT_FOUND for an unknown user. */
  createMcpServer(record: McpServerRecord): Promise<McpServerRecord>;
  /** The user's MCP servers, oldest first. */
  listMcpServers(userId: string): Promise<McpServerRecord[]>;
  /** The user's MCP server, or null (another user's is null too). */
  getMcpServer(userId: string, serverId: string): Promise<McpServerRecord | null>;
  /** Changes the given fields; null when the user has no such server; CONFLICT for a name the user already uses. */
  updateMcpServer(userId: string, serverId: string, patch: McpServerPatch): Promise<McpServerRecord | null>;
  /** True when the user had that server. */
  deleteMcpServer(userId: string, serverId: string): Promise<boolean>;
  /**
   * Replaces the MCP tools attached to the user's agent (read back as `Agent.mcpTools`); false when
   * the agent is not the user's.
   */
  setAgentMcpTools(userId: string, agentId: string, tools: AgentMcpTool[]): Promise<boolean>;
}
