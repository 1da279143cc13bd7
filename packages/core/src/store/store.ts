import type {
  Agent,
  ApiKeyRecord,
  ContextSummary,
  MemoryBlock,
  NewMessage,
  NewPassage,
  Passage,
  PendingToolCall,
  StoredMessage,
  User,
} from '../domain/types.ts';
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
  messages: NewMessage[];
  memory?: { label: string; value: string }[];
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

  createAgent(agent: NewAgent): Promise<Agent>;
  getAgent(userId: string, agentId: string): Promise<Agent | null>;
  listAgents(userId: string): Promise<Agent[]>;
  /** Deletes the agent with its memory, messages and pending calls. True when it existed. */
  deleteAgent(userId: string, agentId: string): Promise<boolean>;
  /** Sets one block's value; null when the agent has no such block. */
  setMemoryBlock(agentId: string, label: string, value: string): Promise<MemoryBlock | null>;

  /** A page of the history, oldest first. Never throws NOT_FOUND: an unknown cursor gives []. */
  listMessages(agentId: string, page: MessagePage): Promise<StoredMessage[]>;
  /** The messages that are in the agent's context window, oldest first. */
  listContextMessages(agentId: string): Promise<StoredMessage[]>;
  listPendingToolCalls(agentId: string): Promise<PendingToolCall[]>;
  /** Writes one turn step atomically and returns the stored messages (with `seq`). */
  commitStep(step: TurnStep): Promise<StoredMessage[]>;
  /** The agent's recursive summary of the messages before its context window, or null. */
  getContextSummary(agentId: string): Promise<ContextSummary | null>;

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
  searchMessages(agentId: string, search: TextSearch): Promise<SearchPage<StoredMessage>>;
}
