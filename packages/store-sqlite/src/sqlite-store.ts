import { join } from 'node:path';
import type {
  Agent,
  ApiKeyRecord,
  ContextSummary,
  MemoryBlock,
  MessagePage,
  NewAgent,
  NewPassage,
  Passage,
  PassageSearch,
  PendingToolCall,
  SearchPage,
  Store,
  StoredMessage,
  TextSearch,
  TurnStep,
  User,
} from '@memgate/core';
import {
  stepConstraintMessages,
  storableAgent,
  storablePassage,
  storableStep,
  storableText,
  toApiKey,
  toContextSummary,
  toPendingToolCall,
  toUser,
} from '@memgate/core';
import { ContextWindowCache } from './context-window-cache.ts';
import { prepareDataDir } from './data-files.ts';
import { type Database, transaction } from './driver.ts';
import { applyMigrations } from './migrations.ts';
import { openDatabase } from './open-database.ts';
import { readMessagePage, readPassagePage } from './read-message-page.ts';
import { groupBlocks, toAgent, toMemoryBlock } from './row-mapping.ts';
import { searchMessages } from './search-messages.ts';
import { searchPassages } from './search-passages.ts';
import { translateConstraints } from './sqlite-errors.ts';
import { prepareStatements, type Statements } from './statements.ts';
import { VectorIndex } from './vector-index.ts';
import { writeAgent } from './write-agent.ts';
import { writePassages } from './write-passages.ts';
import { writeStep } from './write-step.ts';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** Path of the database file, or `:memory:`. */
  filename: string;
}

/**
 * The embedded Store on Node's built-in `node:sqlite`. The driver is synchronous; the methods are async only
 * to honour the Store interface. Call `migrate()` before anything else.
 */
export class SqliteStore implements Store {
  readonly #db: Database;
  #statements: Statements | undefined;
  readonly #vectors: VectorIndex;
  readonly #windows = new ContextWindowCache(() => this.#sql);

  constructor(options: SqliteStoreOptions) {
    this.#db = openDatabase(options.filename);
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
    this.#sql.schemaVersion.get();
  }

  async close(): Promise<void> {
    this.#windows.clear();
    if (this.#db.isOpen) this.#db.close();
  }

  async createUser(user: User): Promise<User> {
    const row = { id: user.id, name: user.name, created_at: user.createdAt };
    const messages = { conflict: `A user named "${user.name}" already exists.` };
    translateConstraints(messages, () => this.#sql.insertUser.run(row));
    return toUser(row);
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
    // One statement, so atomic: ON DELETE CASCADE takes the keys, the agents and all they hold.
    return this.#sql.deleteUser.run(userId).changes > 0;
  }

  async createApiKey(record: ApiKeyRecord & { keyHash: string }): Promise<ApiKeyRecord> {
    const messages = { conflict: 'The API key already exists.', missing: `User ${record.userId} does not exist.` };
    const { id, userId, keyHash, prefix, createdAt, scope, expiresAt } = record;
    translateConstraints(messages, () =>
      this.#sql.insertApiKey.run(id, userId, keyHash, prefix, createdAt, scope, expiresAt),
    );
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

  async touchApiKey(keyId: string, usedAt: string): Promise<void> {
    this.#sql.touchApiKey.run(usedAt, keyId);
  }

  async deleteApiKey(keyId: string): Promise<boolean> {
    return this.#sql.deleteApiKey.run(keyId).changes > 0;
  }

  async createAgent(agent: NewAgent): Promise<Agent> {
    const messages = { conflict: `Agent ${agent.id} already exists.`, missing: `User ${agent.userId} does not exist.` };
    return translateConstraints(messages, () =>
      transaction(this.#db, 'IMMEDIATE', () => writeAgent(this.#sql, storableAgent(agent))),
    );
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
    return this.#sql.deleteAgent.run(agentId, userId).changes > 0;
  }

  async setMemoryBlock(agentId: string, label: string, value: string): Promise<MemoryBlock | null> {
    const row = this.#sql.updateBlock.get(storableText(value), agentId, label);
    return row ? toMemoryBlock(row) : null;
  }

  async listMessages(agentId: string, page: MessagePage): Promise<StoredMessage[]> {
    return readMessagePage(this.#sql, agentId, page);
  }

  async listContextMessages(agentId: string): Promise<StoredMessage[]> {
    return this.#windows.read(agentId);
  }

  async listPendingToolCalls(agentId: string): Promise<PendingToolCall[]> {
    return this.#sql.listPending.all(agentId).map(toPendingToolCall);
  }

  async commitStep(step: TurnStep): Promise<StoredMessage[]> {
    // IMMEDIATE takes the write lock up front, so a second process waits (busy_timeout) instead of
    // failing half-way with SQLITE_BUSY when its read snapshot turns stale.
    return translateConstraints(stepConstraintMessages(step), () =>
      transaction(this.#db, 'IMMEDIATE', () => writeStep(this.#sql, storableStep(step))),
    );
  }

  async getContextSummary(agentId: string): Promise<ContextSummary | null> {
    return toContextSummary(this.#sql.getSummary.get(agentId));
  }

  async insertPassages(passages: NewPassage[]): Promise<Passage[]> {
    const agents = [...new Set(passages.map((passage) => passage.agentId))].join(', ');
    const messages = { conflict: 'A passage with this id already exists.', missing: `Agent ${agents} does not exist.` };
    return translateConstraints(messages, () =>
      transaction(this.#db, 'IMMEDIATE', () => writePassages(this.#sql, passages.map(storablePassage))),
    );
  }

  async listPassages(agentId: string, page: MessagePage): Promise<Passage[]> {
    return readPassagePage(this.#sql, agentId, page);
  }

  async deletePassage(agentId: string, passageId: string): Promise<boolean> {
    return this.#sql.deletePassage.run(agentId, passageId).changes > 0;
  }

  async searchPassages(agentId: string, search: PassageSearch): Promise<SearchPage<Passage>> {
    return searchPassages(this.#sql, this.#vectors, agentId, search);
  }

  async searchMessages(agentId: string, search: TextSearch): Promise<SearchPage<StoredMessage>> {
    return searchMessages(this.#sql, agentId, search);
  }
}
