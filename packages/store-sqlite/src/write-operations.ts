import type {
  Agent,
  AgentPatch,
  ApiKeyRecord,
  Conversation,
  ConversationFork,
  ConversationPatch,
  MemoryBlock,
  NewAgent,
  NewPassage,
  Passage,
  TurnStep,
  User,
} from '@memgate/core';
import { stepConstraintMessages, storableAgent, storablePassage, storableText } from '@memgate/core/store-kit';
import { BLOCK_WRITE_OPERATIONS } from './block-write-operations.ts';
import { type Database, transaction } from './driver.ts';
import { writeFork, writeHideIds, writeRestore, writeRewind } from './fork-operations.ts';
import { LIMIT_WRITE_OPERATIONS } from './limit-store.ts';
import { MCP_SERVER_WRITE_OPERATIONS } from './mcp-server-write-operations.ts';
import { RESPONSE_WRITE_OPERATIONS } from './response-write-operations.ts';
import { storableMetadata, toConversation } from './row-mapping.ts';
import { translateConstraints } from './sqlite-errors.ts';
import type { Statements } from './statements.ts';
import { deleteAgent, updateAgent, writeAgent } from './write-agent.ts';
import { setMemoryBlock } from './write-blocks.ts';
import { writePassages } from './write-passages.ts';
import { writeStep } from './write-step.ts';

/** What a write runs on: the writer's connection and its statements. */
export interface WriteContext {
  db: Database;
  sql: Statements;
}

/**
 * Every write the store makes, by name, as the writer runs them: each inside a transaction (a
 * savepoint of the writer's group transaction), with constraint violations already translated.
 * Arguments and results cross a thread boundary, so they are plain structured-cloneable data.
 */
export const WRITE_OPERATIONS = {
  ...RESPONSE_WRITE_OPERATIONS,
  ...LIMIT_WRITE_OPERATIONS,
  ...MCP_SERVER_WRITE_OPERATIONS,
  createUser({ sql }: WriteContext, user: User): void {
    const row = { id: user.id, name: user.name, created_at: user.createdAt };
    const messages = { conflict: `A user named "${user.name}" already exists.` };
    translateConstraints(messages, () => sql.insertUser.run(row));
  },
  deleteUser({ sql }: WriteContext, userId: string): boolean {
    // One statement: ON DELETE CASCADE takes the keys, the agents and all they hold.
    return sql.deleteUser.run(userId).changes > 0;
  },
  createApiKey({ sql }: WriteContext, record: ApiKeyRecord & { keyHash: string }): void {
    const messages = { conflict: 'The API key already exists.', missing: `User ${record.userId} does not exist.` };
    const { id, userId, keyHash, prefix, createdAt, scope, expiresAt } = record;
    translateConstraints(messages, () =>
      sql.insertApiKey.run(id, userId, keyHash, prefix, createdAt, scope, expiresAt),
    );
  },
  touchApiKey({ sql }: WriteContext, keyId: string, usedAt: string): void {
    sql.touchApiKey.run(usedAt, keyId);
  },
  deleteApiKey({ sql }: WriteContext, keyId: string): boolean {
    return sql.deleteApiKey.run(keyId).changes > 0;
  },
  createAgent({ db, sql }: WriteContext, agent: NewAgent): Agent {
    const messages = { conflict: `Agent ${agent.id} already exists.`, missing: `User ${agent.userId} does not exist.` };
    return translateConstraints(messages, () =>
      transaction(db, 'IMMEDIATE', () => writeAgent(sql, storableAgent(agent), 'user')),
    );
  },
  deleteAgent({ db, sql }: WriteContext, userId: string, agentId: string): boolean {
    return transaction(db, 'IMMEDIATE', () => deleteAgent(sql, userId, agentId));
  },
  setMemoryBlock({ db, sql }: WriteContext, agentId: string, label: string, value: string): MemoryBlock | null {
    return transaction(db, 'IMMEDIATE', () => setMemoryBlock(sql, agentId, label, value));
  },
  updateAgent({ db, sql }: WriteContext, userId: string, agentId: string, patch: AgentPatch): Agent | null {
    return transaction(db, 'IMMEDIATE', () => updateAgent(sql, userId, agentId, patch));
  },
  ...BLOCK_WRITE_OPERATIONS,
  createConversation({ sql }: WriteContext, conversation: Conversation): Conversation {
    const messages = {
      conflict: `Conversation ${conversation.id} already exists.`,
      missing: `Agent ${conversation.agentId} does not exist.`,
    };
    return translateConstraints(messages, () => insertConversation(sql, conversation));
  },
  updateConversation({ sql }: WriteContext, conversationId: string, patch: ConversationPatch): Conversation | null {
    const row = sql.conversationById.get(conversationId);
    if (!row) return null;
    const name = patch.name === undefined ? row.name : patch.name === null ? null : storableText(patch.name);
    const metadata = patch.metadata === undefined ? row.metadata : storableMetadata(patch.metadata);
    const updated = sql.updateConversation.get(name, metadata, patch.updatedAt, conversationId);
    return updated ? toConversation(updated) : null;
  },
  deleteConversation({ sql }: WriteContext, conversationId: string): boolean {
    // ON DELETE CASCADE takes its messages (and their images and index rows), pending calls and keys.
    return sql.deleteConversation.run(conversationId).changes > 0;
  },
  conversationForKey({ db, sql }: WriteContext, agentId: string, key: string, create: Conversation): Conversation {
    const messages = {
      conflict: `Conversation ${create.id} already exists.`,
      missing: `Agent ${agentId} does not exist.`,
    };
    return translateConstraints(messages, () =>
      transaction(db, 'IMMEDIATE', () => {
        // One writer: the lookup and the insert cannot interleave with another first use.
        const existing = sql.conversationOfKey.get(agentId, key);
        if (existing) return toConversation(existing);
        const conversation = insertConversation(sql, { ...create, agentId });
        sql.insertConversationKey.run(agentId, storableText(key), conversation.id);
        return conversation;
      }),
    );
  },
  forkConversation({ db, sql }: WriteContext, fork: ConversationFork): Conversation {
    const messages = {
      conflict: `Conversation ${fork.conversation.id} already exists.`,
      missing: `Agent ${fork.conversation.agentId} does not exist.`,
    };
    return translateConstraints(messages, () =>
      transaction(db, 'IMMEDIATE', () => writeFork(sql, fork, (conversation) => insertConversation(sql, conversation))),
    );
  },
  hideMessagesAfter({ db, sql }: WriteContext, conversationId: string, afterSeq: number): number {
    return transaction(db, 'IMMEDIATE', () => writeRewind(sql, conversationId, afterSeq));
  },
  hideMessages({ db, sql }: WriteContext, conversationId: string, messageIds: string[]): number {
    return transaction(db, 'IMMEDIATE', () => writeHideIds(sql, conversationId, messageIds));
  },
  restoreMessages({ db, sql }: WriteContext, conversationId: string): number {
    return transaction(db, 'IMMEDIATE', () => writeRestore(sql, conversationId));
  },
  /**
   * Takes the step already storable (`storableStep`, run by the caller) and answers only the seqs of its messages, in
   * order: the caller holds the rest of each stored message (`storedMessages`), so none of it has
   * to cross the thread boundary again.
   */
  commitStep({ db, sql }: WriteContext, step: TurnStep): number[] {
    const stored = translateConstraints(stepConstraintMessages(step), () =>
      transaction(db, 'IMMEDIATE', () => writeStep(sql, step)),
    );
    return stored.map((message) => message.seq);
  },
  insertPassages({ db, sql }: WriteContext, passages: NewPassage[]): Passage[] {
    const agents = [...new Set(passages.map((passage) => passage.agentId))].join(', ');
    const messages = { conflict: 'A passage with this id already exists.', missing: `Agent ${agents} does not exist.` };
    return translateConstraints(messages, () =>
      transaction(db, 'IMMEDIATE', () => writePassages(sql, passages.map(storablePassage))),
    );
  },
  deletePassage({ sql }: WriteContext, agentId: string, passageId: string): boolean {
    return sql.deletePassage.run(agentId, passageId).changes > 0;
  },
};

function insertConversation(sql: Statements, conversation: Conversation): Conversation {
  const row = {
    id: conversation.id,
    agent_id: conversation.agentId,
    name: conversation.name === null ? null : storableText(conversation.name),
    metadata: storableMetadata(conversation.metadata),
    created_at: conversation.createdAt,
    updated_at: conversation.updatedAt,
  };
  sql.insertConversation.run(row);
  return toConversation(row);
}

type Operations = typeof WRITE_OPERATIONS;
/** The name of a write. */
export type WriteOperation = keyof Operations;
/** A write's arguments (after the context). */
export type WriteArguments<O extends WriteOperation> = Operations[O] extends (
  context: WriteContext,
  ...rest: infer A
) => unknown
  ? A
  : never;
/** A write's result. */
export type WriteResult<O extends WriteOperation> = ReturnType<Operations[O]>;

/** One queued write, as it travels to the writer. */
export interface WriteRequest {
  id: number;
  operation: WriteOperation;
  arguments: unknown[];
}

/** The writer's answer to one write. */
export type WriteAnswer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerialisedError };

/** An error as it crosses the thread boundary (structured clone keeps no class). */
export interface SerialisedError {
  name: string;
  message: string;
  /** A MemgateError's fields; absent for other errors. */
  memgate?: {
    code: string;
    param: string | null;
    detailCode: string | null;
    retryAfterSeconds: number | undefined;
    logDetail: string | undefined;
  };
  /** node:sqlite's `code` (ERR_SQLITE_ERROR) and SQLite's extended result code. */
  code?: unknown;
  errcode?: unknown;
  errstr?: unknown;
}
