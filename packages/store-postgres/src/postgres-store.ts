import type {
  Agent,
  AgentBundle,
  AgentMcpTool,
  AgentPatch,
  ApiKeyRecord,
  Block,
  BlockHistoryEntry,
  BlockPatch,
  BlockWrite,
  ContextSummary,
  Conversation,
  ConversationFork,
  ConversationPatch,
  HistoryPage,
  LimitsRecord,
  McpServerPatch,
  McpServerRecord,
  MemoryBlock,
  MessagePage,
  NewAgent,
  NewBlock,
  NewPassage,
  Passage,
  PassageSearch,
  PendingToolCall,
  ResponseRecord,
  SearchPage,
  Store,
  StoredMessage,
  TextSearch,
  TurnStep,
  UsageGroup,
  UsageQuery,
  UsageRecord,
  UsageTurnCounts,
  User,
} from '@memgate/core';
import {
  type ApiKeyRow,
  MemgateError,
  type PassageRow,
  type PendingToolCallRow,
  stepConstraintMessages,
  toApiKey,
  toPassage,
  toPendingToolCall,
  toUser,
  type UserRow,
} from '@memgate/core';
import { storableMcpTools } from '@memgate/core/store-kit';
import type { Pool } from 'pg';
import { deleteAgent, setMemoryBlock, updateAgent } from './agent-operations.ts';
import { PostgresBlocks } from './block-operations.ts';
import { commitStep } from './commit-step.ts';
import { ContextWindowCache } from './context-window-cache.ts';
import { createPool, type PoolOptions } from './create-pool.ts';
import { forkConversation, hideMessages, hideMessagesAfter, restoreMessages } from './fork-operations.ts';
import { importAgents } from './import-agents.ts';
import { PostgresLimits } from './limits.ts';
import { PostgresMcpServers } from './mcp-servers.ts';
import { MEMORY_SQL } from './memory-queries.ts';
import { applyMigrations } from './migrations.ts';
import { storable, translateConstraints } from './postgres-errors.ts';
import { SQL } from './queries.ts';
import { readPage } from './read-page.ts';
import { PostgresResponses } from './responses.ts';
import { toAgent, toConversation, toStoredMessage } from './row-mapping.ts';
import type { AgentRow, ConversationRow, MessageRow } from './rows.ts';
import { searchMessages, searchPassages } from './search.ts';
import { storableMetadata } from './storable-metadata.ts';
import { inTransaction } from './transaction.ts';
import { PostgresUsage } from './usage.ts';
import { writeAgent } from './write-agent.ts';
import { writePassages } from './write-passages.ts';

/** Options of {@link PostgresStore}: where the database is and how many connections to use. */
export type PostgresStoreOptions = PoolOptions;

/** The store's `statement_timeout` unless its options set one (MEMGATE_PG_STATEMENT_TIMEOUT_MS): 30 s. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/**
 * The Store on PostgreSQL, for several memgate instances sharing one database. Same semantics
 * as the SQLite store (the Store conformance suite is the judge); each multi-row write is one
 * transaction. Call `migrate()` before anything else.
 */
export class PostgresStore implements Store {
  readonly #pool: Pool;
  readonly #responses: PostgresResponses;
  readonly #usage: PostgresUsage;
  readonly #limits: PostgresLimits;
  readonly #blocks: PostgresBlocks;
  readonly #mcpServers: PostgresMcpServers;
  readonly #windows: ContextWindowCache;
  #closed = false;

  constructor(options: PostgresStoreOptions) {
    this.#pool = createPool({
      applicationName: 'memgate store',
      statementTimeoutMillis: DEFAULT_STATEMENT_TIMEOUT_MS,
      ...options,
    });
    this.#windows = new ContextWindowCache(this.#pool);
    this.#responses = new PostgresResponses(this.#pool);
    this.#usage = new PostgresUsage(this.#pool);
    this.#limits = new PostgresLimits(this.#pool);
    this.#blocks = new PostgresBlocks(this.#pool);
    this.#mcpServers = new PostgresMcpServers(this.#pool);
  }

  async migrate(): Promise<void> {
    await applyMigrations(this.#pool);
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new Error('The PostgreSQL store is closed.');
    await this.#pool.query(SQL.schemaVersion);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async createUser(user: User): Promise<User> {
    const messages = { conflict: `A user named "${user.name}" already exists.` };
    await translateConstraints(messages, () => this.#pool.query(SQL.insertUser, [user.id, user.name, user.createdAt]));
    return { id: user.id, name: user.name, createdAt: user.createdAt };
  }

  async getUser(userId: string): Promise<User | null> {
    const { rows } = await this.#pool.query<UserRow>({ ...SQL.getUser, values: [userId] });
    return rows[0] ? toUser(rows[0]) : null;
  }

  async getUserByName(name: string): Promise<User | null> {
    const { rows } = await this.#pool.query<UserRow>(SQL.getUserByName, [name]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async listUsers(): Promise<User[]> {
    return (await this.#pool.query<UserRow>(SQL.listUsers)).rows.map(toUser);
  }

  async deleteUser(userId: string): Promise<boolean> {
    // One statement, so atomic: ON DELETE CASCADE takes the keys, the agents and all they hold.
    return ((await this.#pool.query(SQL.deleteUser, [userId])).rowCount ?? 0) > 0;
  }

  async createApiKey(record: ApiKeyRecord & { keyHash: string }): Promise<ApiKeyRecord> {
    const messages = { conflict: 'The API key already exists.', missing: `User ${record.userId} does not exist.` };
    const { id, userId, keyHash, prefix, createdAt, scope, expiresAt } = record;
    const values = [id, userId, keyHash, prefix, createdAt, scope, expiresAt];
    await translateConstraints(messages, () => this.#pool.query(SQL.insertApiKey, values));
    // Rebuilt field by field so the hash never travels further than the store.
    return { id, userId, prefix, createdAt, scope, expiresAt, lastUsedAt: null };
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const { rows } = await this.#pool.query<ApiKeyRow>({ ...SQL.findApiKeyByHash, values: [keyHash] });
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async listApiKeys(userId: string): Promise<ApiKeyRecord[]> {
    return (await this.#pool.query<ApiKeyRow>(SQL.listApiKeys, [userId])).rows.map(toApiKey);
  }

  async touchApiKey(keyId: string, usedAt: string): Promise<void> {
    await this.#pool.query(SQL.touchApiKey, [usedAt, keyId]);
  }

  async deleteApiKey(keyId: string): Promise<boolean> {
    return ((await this.#pool.query(SQL.deleteApiKey, [keyId])).rowCount ?? 0) > 0;
  }

  async getApiKey(keyId: string): Promise<ApiKeyRecord | null> {
    const { rows } = await this.#pool.query<ApiKeyRow>(SQL.getApiKey, [keyId]);
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  setLimits(record: LimitsRecord): Promise<void> {
    return this.#limits.set(record);
  }

  getLimits(subjects: readonly string[]): Promise<LimitsRecord[]> {
    return this.#limits.get(subjects);
  }

  deleteLimits(subject: string): Promise<boolean> {
    return this.#limits.delete(subject);
  }

  async createAgent(agent: NewAgent): Promise<Agent> {
    const messages = { conflict: `Agent ${agent.id} already exists.`, missing: `User ${agent.userId} does not exist.` };
    return translateConstraints(messages, () => inTransaction(this.#pool, (client) => writeAgent(client, agent)));
  }

  async getAgent(userId: string, agentId: string): Promise<Agent | null> {
    const { rows } = await this.#pool.query<AgentRow>({ ...SQL.getAgent, values: [agentId, userId] });
    return rows[0] ? toAgent(rows[0]) : null;
  }

  async listAgents(userId: string): Promise<Agent[]> {
    return (await this.#pool.query<AgentRow>({ ...SQL.listAgents, values: [userId] })).rows.map(toAgent);
  }

  async deleteAgent(userId: string, agentId: string): Promise<boolean> {
    return deleteAgent(this.#pool, userId, agentId);
  }

  async setMemoryBlock(agentId: string, label: string, value: string): Promise<MemoryBlock | null> {
    return setMemoryBlock(this.#pool, agentId, label, value);
  }

  async updateAgent(userId: string, agentId: string, patch: AgentPatch): Promise<Agent | null> {
    return updateAgent(this.#pool, userId, agentId, patch);
  }

  async createBlock(block: NewBlock): Promise<Block> {
    return this.#blocks.create(block);
  }

  async getBlock(userId: string, blockId: string): Promise<Block | null> {
    return this.#blocks.get(userId, blockId);
  }

  async listBlocks(userId: string, page: MessagePage & { label?: string }): Promise<Block[]> {
    return this.#blocks.list(userId, page);
  }

  async updateBlock(userId: string, blockId: string, patch: BlockPatch, write: BlockWrite): Promise<Block | null> {
    return this.#blocks.update(userId, blockId, patch, write);
  }

  async deleteBlock(userId: string, blockId: string, force: boolean): Promise<'deleted' | 'attached' | 'missing'> {
    return this.#blocks.delete(userId, blockId, force);
  }

  async attachBlock(userId: string, agentId: string, blockId: string): Promise<Agent> {
    return this.#blocks.attach(userId, agentId, blockId);
  }

  async detachBlock(userId: string, agentId: string, blockId: string): Promise<boolean> {
    return this.#blocks.detach(userId, agentId, blockId);
  }

  async blockHistory(
    userId: string,
    blockId: string,
    page: { limit: number; before?: number },
  ): Promise<BlockHistoryEntry[] | null> {
    return this.#blocks.history(userId, blockId, page);
  }

  async importAgents(bundle: AgentBundle): Promise<Agent[]> {
    const messages = {
      conflict: 'The import repeats the id of an agent, block, message or passage that exists.',
      missing: 'The import names a user that does not exist.',
    };
    return translateConstraints(messages, () => importAgents(this.#pool, bundle));
  }

  async createConversation(conversation: Conversation): Promise<Conversation> {
    const messages = {
      conflict: `Conversation ${conversation.id} already exists.`,
      missing: `Agent ${conversation.agentId} does not exist.`,
    };
    return translateConstraints(messages, async () => {
      const { rows } = await this.#pool.query<ConversationRow>(
        SQL.insertConversation,
        conversationValues(conversation),
      );
      return toConversation(rows[0]!);
    });
  }

  async saveResponse(record: ResponseRecord): Promise<void> {
    await this.#responses.save(record);
  }

  async getResponse(userId: string, responseId: string): Promise<ResponseRecord | null> {
    return this.#responses.get(userId, responseId);
  }

  async deleteResponse(userId: string, responseId: string): Promise<boolean> {
    return this.#responses.delete(userId, responseId);
  }

  async recordUsage(records: UsageRecord[]): Promise<void> {
    await this.#usage.record(records);
  }

  async summariseUsage(query: UsageQuery): Promise<UsageGroup[]> {
    return this.#usage.summarise(query);
  }

  async countUsageTurns(query: UsageQuery): Promise<UsageTurnCounts> {
    return this.#usage.countTurns(query);
  }

  async forkConversation(fork: ConversationFork): Promise<Conversation> {
    const messages = {
      conflict: `Conversation ${fork.conversation.id} already exists.`,
      missing: `Agent ${fork.conversation.agentId} does not exist.`,
    };
    return translateConstraints(messages, () =>
      forkConversation(this.#pool, fork, async (client, conversation) => {
        const { rows } = await client.query<ConversationRow>(SQL.insertConversation, conversationValues(conversation));
        return toConversation(rows[0]!);
      }),
    );
  }

  async hideMessagesAfter(conversationId: string, afterSeq: number): Promise<number> {
    return hideMessagesAfter(this.#pool, conversationId, afterSeq);
  }

  async hideMessages(conversationId: string, messageIds: string[]): Promise<number> {
    return hideMessages(this.#pool, conversationId, messageIds);
  }

  async restoreMessages(conversationId: string): Promise<number> {
    return restoreMessages(this.#pool, conversationId);
  }

  async getMessage(agentId: string, messageId: string): Promise<StoredMessage | null> {
    const { rows } = await this.#pool.query<MessageRow>({ ...SQL.messageById, values: [agentId, messageId] });
    return rows[0] ? toStoredMessage(rows[0]) : null;
  }

  async getConversation(userId: string, conversationId: string): Promise<Conversation | null> {
    const { rows } = await this.#pool.query<ConversationRow>({
      ...SQL.getConversation,
      values: [conversationId, userId],
    });
    return rows[0] ? toConversation(rows[0]) : null;
  }

  async listConversations(agentId: string, page: MessagePage): Promise<Conversation[]> {
    const limit = Math.max(0, Math.trunc(page.limit));
    const { rows } =
      page.before === undefined
        ? await this.#pool.query<ConversationRow>(SQL.latestConversations, [agentId, limit])
        : await this.#pool.query<ConversationRow>(SQL.conversationsBefore, [agentId, page.before, limit]);
    // Fetched newest first so that LIMIT keeps the newest; a page reads oldest first.
    return rows.reverse().map(toConversation);
  }

  async updateConversation(conversationId: string, patch: ConversationPatch): Promise<Conversation | null> {
    const { rows } = await this.#pool.query<ConversationRow>(SQL.updateConversation, [
      conversationId,
      patch.name !== undefined,
      patch.name == null ? null : storable(patch.name),
      patch.metadata !== undefined,
      storableMetadata(patch.metadata ?? null),
      patch.updatedAt,
    ]);
    return rows[0] ? toConversation(rows[0]) : null;
  }

  async deleteConversation(conversationId: string): Promise<boolean> {
    // ON DELETE CASCADE takes its messages (and their images), pending calls and keys.
    return ((await this.#pool.query(SQL.deleteConversation, [conversationId])).rowCount ?? 0) > 0;
  }

  async conversationForKey(agentId: string, key: string, create: Conversation): Promise<Conversation> {
    const storedKey = storable(key);
    // Most uses find the mapping: one read, no transaction.
    const found = await this.#pool.query<ConversationRow>({ ...SQL.conversationOfKey, values: [agentId, storedKey] });
    if (found.rows[0]) return toConversation(found.rows[0]);
    const messages = {
      conflict: `Conversation ${create.id} already exists.`,
      missing: `Agent ${agentId} does not exist.`,
    };
    return translateConstraints(messages, () =>
      inTransaction(this.#pool, async (client) => {
        // First uses of one agent's keys queue on its row, so the second finds what the first made.
        const agent = await client.query(SQL.lockAgent, [agentId]);
        if (agent.rowCount === 0) throw new MemgateError('NOT_FOUND', messages.missing);
        const existing = await client.query<ConversationRow>({
          ...SQL.conversationOfKey,
          values: [agentId, storedKey],
        });
        if (existing.rows[0]) return toConversation(existing.rows[0]);
        const { rows } = await client.query<ConversationRow>(
          SQL.insertConversation,
          conversationValues({ ...create, agentId }),
        );
        await client.query(SQL.insertConversationKey, [agentId, storedKey, create.id]);
        return toConversation(rows[0]!);
      }),
    );
  }

  async listMessages(agentId: string, page: HistoryPage): Promise<StoredMessage[]> {
    const { conversationId } = page;
    const hidden = page.includeHidden === true;
    const limit = Math.max(0, Math.trunc(page.limit));
    let query: { name: string; text: string; values: unknown[] };
    if (conversationId === undefined) {
      query =
        page.before === undefined
          ? { ...SQL.latestMessages, values: [agentId, limit, hidden] }
          : { ...SQL.messagesBefore, values: [agentId, page.before, limit, hidden] };
    } else {
      query =
        page.before === undefined
          ? { ...SQL.latestConversationMessages, values: [conversationId, agentId, limit, hidden] }
          : { ...SQL.conversationMessagesBefore, values: [conversationId, agentId, page.before, limit, hidden] };
    }
    // Fetched newest first so that LIMIT keeps the newest; a page reads oldest first.
    return (await this.#pool.query<MessageRow>(query)).rows.reverse().map(toStoredMessage);
  }

  async listContextMessages(conversationId: string): Promise<StoredMessage[]> {
    return (await this.#windows.read(conversationId)).messages;
  }

  async listPendingToolCalls(conversationId: string): Promise<PendingToolCall[]> {
    const { rows } = await this.#pool.query<PendingToolCallRow>({ ...SQL.listPending, values: [conversationId] });
    return rows.map(toPendingToolCall);
  }

  async commitStep(step: TurnStep): Promise<StoredMessage[]> {
    return translateConstraints(stepConstraintMessages(step), () => commitStep(this.#pool, step));
  }

  async getContextSummary(conversationId: string): Promise<ContextSummary | null> {
    // With the window: a turn asks for both at once, and they then share one statement.
    return (await this.#windows.read(conversationId)).summary;
  }

  async insertPassages(passages: NewPassage[]): Promise<Passage[]> {
    const agents = [...new Set(passages.map((passage) => passage.agentId))].join(', ');
    const messages = { conflict: 'A passage with this id already exists.', missing: `Agent ${agents} does not exist.` };
    return translateConstraints(messages, () => inTransaction(this.#pool, (client) => writePassages(client, passages)));
  }

  async listPassages(agentId: string, page: MessagePage): Promise<Passage[]> {
    const rows = await readPage<PassageRow>(
      this.#pool,
      agentId,
      page,
      MEMORY_SQL.latestPassages,
      MEMORY_SQL.passagesBefore,
    );
    return rows.map(toPassage);
  }

  async deletePassage(agentId: string, passageId: string): Promise<boolean> {
    return ((await this.#pool.query(MEMORY_SQL.deletePassage, [agentId, passageId])).rowCount ?? 0) > 0;
  }

  async searchPassages(agentId: string, search: PassageSearch): Promise<SearchPage<Passage>> {
    return searchPassages(this.#pool, agentId, search);
  }

  async searchMessages(
    agentId: string,
    search: TextSearch & { conversationId?: string },
  ): Promise<SearchPage<StoredMessage>> {
    return searchMessages(this.#pool, agentId, search);
  }

  async createMcpServer(record: McpServerRecord): Promise<McpServerRecord> {
    return this.#mcpServers.create(record);
  }

  async listMcpServers(userId: string): Promise<McpServerRecord[]> {
    return this.#mcpServers.list(userId);
  }

  async getMcpServer(userId: string, serverId: string): Promise<McpServerRecord | null> {
    return this.#mcpServers.get(userId, serverId);
  }

  async updateMcpServer(userId: string, serverId: string, patch: McpServerPatch): Promise<McpServerRecord | null> {
    return this.#mcpServers.update(userId, serverId, patch);
  }

  async deleteMcpServer(userId: string, serverId: string): Promise<boolean> {
    return this.#mcpServers.delete(userId, serverId);
  }

  async setAgentMcpTools(userId: string, agentId: string, tools: AgentMcpTool[]): Promise<boolean> {
    const result = await this.#pool.query(SQL.setAgentMcpTools, [agentId, userId, storableMcpTools(tools)]);
    return (result.rowCount ?? 0) > 0;
  }
}

/** The parameters of SQL.insertConversation, with text PostgreSQL can hold. */
function conversationValues(conversation: Conversation): unknown[] {
  return [
    conversation.id,
    conversation.agentId,
    conversation.name === null ? null : storable(conversation.name),
    storableMetadata(conversation.metadata),
    conversation.createdAt,
    conversation.updatedAt,
  ];
}
