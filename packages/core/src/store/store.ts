import type {
  Agent,
  ApiKeyRecord,
  ContextSummary,
  Conversation,
  MemoryBlock,
  NewMessage,
  NewPassage,
  Passage,
  PendingToolCall,
  StoredMessage,
  User,
} from '../domain/types.ts';
import type { ResponseRecord } from '../responses/response-record.ts';
import type { PassageSearch, SearchPage, TextSearch } from './search.ts';

/** An agent as created: every field is chosen by the core, the store persists it as given. */
export type NewAgent = Agent;

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

  /** Creates the agent with its default conversation (whose id is the agent's id). */
  createAgent(agent: NewAgent): Promise<Agent>;
  getAgent(userId: string, agentId: string): Promise<Agent | null>;
  listAgents(userId: string): Promise<Agent[]>;
  /** Deletes the agent with its memory, messages and pending calls. True when it existed. */
  deleteAgent(userId: string, agentId: string): Promise<boolean>;
  /** Sets one block's value; null when the agent has no such block. */
  setMemoryBlock(agentId: string, label: string, value: string): Promise<MemoryBlock | null>;

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
}
