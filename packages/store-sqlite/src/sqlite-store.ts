import { join } from 'node:path';
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
import { toApiKey, toContextSummary, toPendingToolCall, toResponseRecord, toUser } from '@memgate/core';
import { storableStep, toMcpServerRecord, toUsageGroup, toUsageTurnCounts } from '@memgate/core/store-kit';
import { withAttachments } from './attachments.ts';
import { ContextWindowCache } from './context-window-cache.ts';
import { prepareDataDir } from './data-files.ts';
import type { Database } from './driver.ts';
import { toLimitsRecord } from './limit-store.ts';
import { applyMigrations } from './migrations.ts';
import { openDatabase } from './open-database.ts';
import { readMessagePage, readPassagePage } from './read-message-page.ts';
import {
  groupBlocks,
  toAgent,
  toBlock,
  toBlockHistoryEntry,
  toConversation,
  toMemoryBlock,
  toStoredMessage,
} from './row-mapping.ts';
import { searchMessages } from './search-messages.ts';
import { searchPassages } from './search-passages.ts';
import { SqliteWriter } from './sqlite-writer.ts';
import { prepareStatements, type Statements } from './statements.ts';
import { storedMessages } from './stored-step.ts';
import { VectorIndex } from './vector-index.ts';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** Path of the database file, or `:memory:`. */
  filename: string;
}

/**
 * The embedded Store on Node's built-in `node:sqlite`. Reads run on this thread's connection (WAL
 * lets them run beside a write); every write goes to the one writer ({@link SqliteWriter}), a worker
 * thread that commits queued writes in groups, so fsync never blocks the event loop. Migrations
 * run here, before the writer starts (on the first write). Call `migrate()` before anything else.
 */
export class SqliteStore implements Store {
  readonly #db: Database;
  #statements: Statements | undefined;
  readonly #vectors: VectorIndex;
  readonly #writer: SqliteWriter;
  readonly #windows = new ContextWindowCache(() => this.#sql);

  constructor(options: SqliteStoreOptions) {
    this.#db = openDatabase(options.filename);
    this.#writer = new SqliteWriter(options.filename, this.#db);
    this.#vectors = new VectorIndex(this.#db, () => this.#sql);
  }

  /** Opens (creating it if needed, mode 0700) `<dataDir>/memgate.sqlite` (mode 0600). */
  static open(dataDir: string): SqliteStore {
    prepareDataDir(dataDir);
    return new SqliteStore({ filename: join(dataDir, 'memgate.sqlite') });
  }

  // Prepared on first use rather than in the constructor: the tables exist only after migrate().
  get #sql(): Statements {
    this.#statements ??= prepareStatements(this.#db);
    return this.#statements;
  }

  async migrate(): Promise<void> {
    applyMigrations(this.#db);
  }

  async ping(): Promise<void> {
    // A writer thread that died fails every write: /readyz must say so, for a restart.
    const failure = this.#writer.failure;
    if (failure) throw new Error(`The SQLite writer stopped: ${failure.message}`);
    this.#sql.schemaVersion.get();
  }

  async close(): Promise<void> {
    await this.#writer.close();
    this.#windows.clear();
    if (this.#db.isOpen) this.#db.close();
  }

  async createUser(user: User): Promise<User> {
    await this.#writer.submit('createUser', user);
    return toUser({ id: user.id, name: user.name, created_at: user.createdAt });
  }

  async getUser(userId: string): Promise<User | null> {
    const row = this.#sql.getUser.get(userId);
    return row ? toUser(row) : null;
  }

  async getUserByName(name: string): Promise<User | null> {
    const row = this.#sql.getUserByName.get(name);
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<User[]> {
    return this.#sql.listUsers.all().map(toUser);
  }

  async deleteUser(userId: string): Promise<boolean> {
    return this.#writer.submit('deleteUser', userId);
  }

  async createApiKey(record: ApiKeyRecord & { keyHash: string }): Promise<ApiKeyRecord> {
    await this.#writer.submit('createApiKey', record);
    const { id, userId, prefix, createdAt, scope, expiresAt } = record;
    // Rebuilt field by field so the hash never travels further than the store.
    return { id, userId, prefix, createdAt, scope, expiresAt, lastUsedAt: null };
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const row = this.#sql.findApiKeyByHash.get(keyHash);
    return row ? toApiKey(row) : null;
  }

  async listApiKeys(userId: string): Promise<ApiKeyRecord[]> {
    return this.#sql.listApiKeys.all(userId).map(toApiKey);
  }

  async getApiKey(keyId: string): Promise<ApiKeyRecord | null> {
    const row = this.#sql.getApiKey.get(keyId);
    return row ? toApiKey(row) : null;
  }

  async setLimits(record: LimitsRecord): Promise<void> {
    await this.#writer.submit('setLimits', record);
  }

  async getLimits(subjects: readonly string[]): Promise<LimitsRecord[]> {
    if (subjects.length === 0) return [];
    return this.#sql.getLimits.all(JSON.stringify(subjects)).map(toLimitsRecord);
  }

  async deleteLimits(subject: string): Promise<boolean> {
    return this.#writer.submit('deleteLimits', subject);
  }

  async touchApiKey(keyId: string, usedAt: string): Promise<void> {
    await this.#writer.submit('touchApiKey', keyId, usedAt);
  }

  async deleteApiKey(keyId: string): Promise<boolean> {
    return this.#writer.submit('deleteApiKey', keyId);
  }

  async createAgent(agent: NewAgent): Promise<Agent> {
    return this.#writer.submit('createAgent', agent);
  }

  async getAgent(userId: string, agentId: string): Promise<Agent | null> {
    const row = this.#sql.getAgent.get(agentId, userId);
    return row ? toAgent(row, this.#sql.blocksOfAgent.all(agentId).map(toMemoryBlock)) : null;
  }

  async listAgents(userId: string): Promise<Agent[]> {
    const blocks = groupBlocks(this.#sql.blocksOfUser.all(userId));
    return this.#sql.listAgents.all(userId).map((row) => toAgent(row, blocks.get(row.id) ?? []));
  }

  async deleteAgent(userId: string, agentId: string): Promise<boolean> {
    return this.#writer.submit('deleteAgent', userId, agentId);
  }

  async setMemoryBlock(agentId: string, label: string, value: string): Promise<MemoryBlock | null> {
    return this.#writer.submit('setMemoryBlock', agentId, label, value);
  }

  async updateAgent(userId: string, agentId: string, patch: AgentPatch): Promise<Agent | null> {
    return this.#writer.submit('updateAgent', userId, agentId, patch);
  }

  async createBlock(block: NewBlock): Promise<Block> {
    return this.#writer.submit('createBlock', block);
  }

  async getBlock(userId: string, blockId: string): Promise<Block | null> {
    const row = this.#sql.getBlock.get(blockId, userId);
    return row ? toBlock(row) : null;
  }

  async listBlocks(userId: string, page: MessagePage & { label?: string }): Promise<Block[]> {
    const sql = this.#sql;
    const limit = Math.max(0, Math.trunc(page.limit));
    const label = page.label ?? null;
    let rows: ReturnType<Statements['latestBlocks']['all']>;
    if (page.before === undefined) rows = sql.latestBlocks.all(userId, label, limit);
    else {
      const before = sql.blockRowid.get(userId, page.before);
      rows = before === undefined ? [] : sql.blocksBefore.all(userId, label, before, limit);
    }
    return rows.reverse().map(toBlock);
  }

  async updateBlock(userId: string, blockId: string, patch: BlockPatch, write: BlockWrite): Promise<Block | null> {
    return this.#writer.submit('updateBlock', userId, blockId, patch, write);
  }

  async deleteBlock(userId: string, blockId: string, force: boolean): Promise<'deleted' | 'attached' | 'missing'> {
    return this.#writer.submit('deleteBlock', userId, blockId, force);
  }

  async attachBlock(userId: string, agentId: string, blockId: string): Promise<Agent> {
    return this.#writer.submit('attachBlock', userId, agentId, blockId);
  }

  async detachBlock(userId: string, agentId: string, blockId: string): Promise<boolean> {
    return this.#writer.submit('detachBlock', userId, agentId, blockId);
  }

  async importAgents(bundle: AgentBundle): Promise<Agent[]> {
    return this.#writer.submit('importAgents', bundle);
  }

  async blockHistory(
    userId: string,
    blockId: string,
    page: { limit: number; before?: number },
  ): Promise<BlockHistoryEntry[] | null> {
    const sql = this.#sql;
    if (sql.blockRowid.get(userId, blockId) === undefined) return null;
    const limit = Math.max(0, Math.trunc(page.limit));
    return sql.blockHistory.all(blockId, page.before ?? Number.MAX_SAFE_INTEGER, limit).map(toBlockHistoryEntry);
  }

  async saveResponse(record: ResponseRecord): Promise<void> {
    return this.#writer.submit('saveResponse', record);
  }

  async getResponse(userId: string, responseId: string): Promise<ResponseRecord | null> {
    const row = this.#sql.getResponse.get(responseId, userId);
    return row ? toResponseRecord(row) : null;
  }

  async deleteResponse(userId: string, responseId: string): Promise<boolean> {
    return this.#writer.submit('deleteResponse', userId, responseId);
  }

  async recordUsage(records: UsageRecord[]): Promise<void> {
    if (records.length > 0) await this.#writer.submit('recordUsage', records);
  }

  async summariseUsage(query: UsageQuery): Promise<UsageGroup[]> {
    const rows =
      query.userId === null
        ? this.#sql.usageOfAll[query.groupBy].all(query.from, query.to)
        : this.#sql.usageOfUser[query.groupBy].all(query.userId, query.from, query.to);
    return rows.map(toUsageGroup);
  }

  async countUsageTurns(query: UsageQuery): Promise<UsageTurnCounts> {
    const range = { from: query.from, to: query.to };
    const rows =
      query.userId === null
        ? this.#sql.usageTurnsOfAll[query.groupBy].all(range)
        : this.#sql.usageTurnsOfUser[query.groupBy].all({ ...range, user: query.userId });
    return toUsageTurnCounts(rows);
  }

  async createConversation(conversation: Conversation): Promise<Conversation> {
    return this.#writer.submit('createConversation', conversation);
  }

  async getConversation(userId: string, conversationId: string): Promise<Conversation | null> {
    const row = this.#sql.getConversation.get(conversationId, userId);
    return row ? toConversation(row) : null;
  }

  async listConversations(agentId: string, page: MessagePage): Promise<Conversation[]> {
    const sql = this.#sql;
    const limit = Math.max(0, Math.trunc(page.limit));
    let rows: ReturnType<Statements['latestConversations']['all']>;
    if (page.before === undefined) rows = sql.latestConversations.all(agentId, limit);
    else {
      const before = sql.conversationRowid.get(agentId, page.before);
      rows = before === undefined ? [] : sql.conversationsBefore.all(agentId, before, limit);
    }
    return rows.reverse().map(toConversation);
  }

  async updateConversation(conversationId: string, patch: ConversationPatch): Promise<Conversation | null> {
    return this.#writer.submit('updateConversation', conversationId, patch);
  }

  async deleteConversation(conversationId: string): Promise<boolean> {
    return this.#writer.submit('deleteConversation', conversationId);
  }

  async conversationForKey(agentId: string, key: string, create: Conversation): Promise<Conversation> {
    // Most uses find the mapping: read it here without a trip to the writer.
    const existing = this.#sql.conversationOfKey.get(agentId, key);
    if (existing) return toConversation(existing);
    return this.#writer.submit('conversationForKey', agentId, key, create);
  }

  async forkConversation(fork: ConversationFork): Promise<Conversation> {
    return this.#writer.submit('forkConversation', fork);
  }

  async hideMessagesAfter(conversationId: string, afterSeq: number): Promise<number> {
    return this.#writer.submit('hideMessagesAfter', conversationId, afterSeq);
  }

  async hideMessages(conversationId: string, messageIds: string[]): Promise<number> {
    if (messageIds.length === 0) return 0;
    return this.#writer.submit('hideMessages', conversationId, messageIds);
  }

  async restoreMessages(conversationId: string): Promise<number> {
    return this.#writer.submit('restoreMessages', conversationId);
  }

  async getMessage(agentId: string, messageId: string): Promise<StoredMessage | null> {
    const row = this.#sql.messageById.get(agentId, messageId);
    return row ? withAttachments(this.#sql, agentId, [toStoredMessage(row)])[0]! : null;
  }

  async listMessages(agentId: string, page: HistoryPage): Promise<StoredMessage[]> {
    return readMessagePage(this.#sql, agentId, page);
  }

  async listContextMessages(conversationId: string): Promise<StoredMessage[]> {
    return this.#windows.read(conversationId);
  }

  async listPendingToolCalls(conversationId: string): Promise<PendingToolCall[]> {
    return this.#sql.listPending.all(conversationId).map(toPendingToolCall);
  }

  async commitStep(step: TurnStep): Promise<StoredMessage[]> {
    // Made storable here, not on the writer: the stored messages are built from it below.
    const written = storableStep(step);
    // Durable when it resolves: the writer thread answers only after its group's COMMIT. It answers
    // the seqs alone; the stored messages are built here from what was sent.
    const seqs = await this.#writer.submit('commitStep', written);
    return storedMessages(written.messages, seqs, written.conversationId ?? written.agentId);
  }

  async getContextSummary(conversationId: string): Promise<ContextSummary | null> {
    return toContextSummary(this.#sql.getSummary.get(conversationId));
  }

  async insertPassages(passages: NewPassage[]): Promise<Passage[]> {
    return this.#writer.submit('insertPassages', passages);
  }

  async listPassages(agentId: string, page: MessagePage): Promise<Passage[]> {
    return readPassagePage(this.#sql, agentId, page);
  }

  async deletePassage(agentId: string, passageId: string): Promise<boolean> {
    return this.#writer.submit('deletePassage', agentId, passageId);
  }

  async searchPassages(agentId: string, search: PassageSearch): Promise<SearchPage<Passage>> {
    return searchPassages(this.#sql, this.#vectors, agentId, search);
  }

  async searchMessages(
    agentId: string,
    search: TextSearch & { conversationId?: string },
  ): Promise<SearchPage<StoredMessage>> {
    return searchMessages(this.#sql, agentId, search);
  }

  async createMcpServer(record: McpServerRecord): Promise<McpServerRecord> {
    return this.#writer.submit('createMcpServer', record);
  }

  async listMcpServers(userId: string): Promise<McpServerRecord[]> {
    return this.#sql.listMcpServers.all(userId).map(toMcpServerRecord);
  }

  async getMcpServer(userId: string, serverId: string): Promise<McpServerRecord | null> {
    const row = this.#sql.getMcpServer.get(serverId, userId);
    return row ? toMcpServerRecord(row) : null;
  }

  async updateMcpServer(userId: string, serverId: string, patch: McpServerPatch): Promise<McpServerRecord | null> {
    return this.#writer.submit('updateMcpServer', userId, serverId, patch);
  }

  async deleteMcpServer(userId: string, serverId: string): Promise<boolean> {
    return this.#writer.submit('deleteMcpServer', userId, serverId);
  }

  async setAgentMcpTools(userId: string, agentId: string, tools: AgentMcpTool[]): Promise<boolean> {
    return this.#writer.submit('setAgentMcpTools', userId, agentId, tools);
  }
}
