import type { Agent, Block, BlockPatch, BlockWrite, MemoryBlock } from '@memgate/core';
import { MemgateError, storableText } from '@memgate/core/store-kit';
import { storableMetadata, toAgent, toBlock, toMemoryBlock } from './row-mapping.ts';
import type { Statements } from './statements.ts';

/*
 * Blocks as the writer writes them. Every function here must run inside a transaction: each
 * checks (a label, a version, an owner) before it writes, and that check holds only because no
 * other write runs between the two.
 */

/** A block to insert, as a NewBlock, an agent's new block or an imported one give it. */
export interface BlockInsert {
  id: string;
  userId: string;
  label: string;
  value: string;
  limit: number;
  description?: string | null;
  readOnly?: boolean;
  metadata?: Record<string, string> | null;
  createdAt: string;
}

/** Inserts a block at version 1 with that version as its first history entry, made by `write`. */
export function insertBlock(
  sql: Statements,
  block: BlockInsert,
  standalone: boolean,
  write: Pick<BlockWrite, 'actor' | 'agentId'>,
): void {
  const value = storableText(block.value);
  sql.insertBlock.run({
    id: block.id,
    user_id: block.userId,
    label: storableText(block.label),
    value,
    limit: block.limit,
    description: storableText(block.description ?? null),
    read_only: block.readOnly ? 1 : 0,
    metadata: storableMetadata(block.metadata ?? null),
    standalone: standalone ? 1 : 0,
    created_at: block.createdAt,
  });
  sql.insertHistory.run(block.id, 1, value, write.actor, write.agentId ?? null, null, block.createdAt);
}

/** The error of a label an agent already has on another block. */
function labelConflict(agentId: string, label: string): MemgateError {
  return new MemgateError('BAD_USER_INPUT', `Agent ${agentId} already has a block labelled "${label}".`, {
    param: 'label',
    detailCode: 'label_conflict',
  });
}

function blockNotFound(blockId: string): MemgateError {
  return new MemgateError('NOT_FOUND', `Block ${blockId} not found.`, { detailCode: 'block_not_found' });
}

/** The user's agent, or NOT_FOUND. */
export function agentOfUser(sql: Statements, userId: string, agentId: string): void {
  if (!sql.getAgent.get(agentId, userId)) {
    throw new MemgateError('NOT_FOUND', `Agent ${agentId} not found.`, { detailCode: 'agent_not_found' });
  }
}

/**
 * Attaches the user's block after the agent's other blocks (a no-op when it is attached already):
 * NOT_FOUND for another user's or a missing block, `label_conflict` when the agent holds another
 * block with its label.
 */
export function attachBlock(sql: Statements, userId: string, agentId: string, blockId: string): void {
  const block = sql.getBlock.get(blockId, userId);
  if (!block) throw blockNotFound(blockId);
  if (sql.labelTaken.get(agentId, block.label, blockId) !== undefined) throw labelConflict(agentId, block.label);
  sql.attachBlock.run(agentId, blockId);
}

/** The agent with its blocks, as a read gives it; null when it is not the user's. */
export function readAgent(sql: Statements, userId: string, agentId: string): Agent | null {
  const row = sql.getAgent.get(agentId, userId);
  return row ? toAgent(row, sql.blocksOfAgent.all(agentId).map(toMemoryBlock)) : null;
}

/** Writes a new value over the block (its version grows by one) and records it in the history. */
export function writeBlockValue(
  sql: Statements,
  blockId: string,
  value: string,
  write: Pick<BlockWrite, 'actor' | 'agentId' | 'messageId'>,
): number {
  const at = new Date().toISOString();
  const version = sql.writeBlockValue.get(value, at, blockId);
  if (version === undefined) throw blockNotFound(blockId);
  sql.insertHistory.run(blockId, version, value, write.actor, write.agentId ?? null, write.messageId ?? null, at);
  return version;
}

/** Sets the value of the agent's block with that label (actor `user`); null when it has none. */
export function setMemoryBlock(sql: Statements, agentId: string, label: string, value: string): MemoryBlock | null {
  const block = sql.blockOfAgent.get(agentId, label);
  if (!block) return null;
  writeBlockValue(sql, block.id, storableText(value), { actor: 'user' });
  const row = sql.blocksOfAgent.all(agentId).find((candidate) => candidate.id === block.id);
  return row ? toMemoryBlock(row) : null;
}

/** See `Store.updateBlock`. */
export function updateBlock(
  sql: Statements,
  userId: string,
  blockId: string,
  patch: BlockPatch,
  write: BlockWrite,
): Block | null {
  const row = sql.getBlock.get(blockId, userId);
  if (!row) return null;
  if (write.expectedVersion !== undefined && write.expectedVersion !== row.version) {
    throw new MemgateError(
      'CONFLICT',
      `Block ${blockId} changed since it was read (version ${row.version}, not ${write.expectedVersion}); the edit must be re-applied.`,
      { detailCode: 'memory_conflict' },
    );
  }
  const label = patch.label === undefined ? row.label : storableText(patch.label);
  if (label !== row.label) {
    const agentId = sql.labelTakenBeside.get(blockId, label);
    if (agentId !== undefined) throw labelConflict(agentId, label);
  }
  const value = patch.value === undefined ? row.value : storableText(patch.value);
  const limit = patch.limit ?? row.limit;
  if (value.length > limit) {
    throw new MemgateError(
      'BAD_USER_INPUT',
      `The value of block ${blockId} (${value.length} characters) exceeds its limit of ${limit}.`,
      { param: patch.limit === undefined ? 'value' : 'limit', detailCode: 'block_limit_exceeded' },
    );
  }
  const changed = value !== row.value;
  const at = new Date().toISOString();
  const version = changed ? row.version + 1 : row.version;
  const description = patch.description === undefined ? row.description : storableText(patch.description);
  const readOnly = patch.readOnly === undefined ? row.read_only : patch.readOnly ? 1 : 0;
  const metadata = patch.metadata === undefined ? row.metadata : storableMetadata(patch.metadata);
  sql.updateBlockFields.run(label, value, limit, description, readOnly, metadata, version, at, blockId);
  if (changed) {
    sql.insertHistory.run(blockId, version, value, write.actor, write.agentId ?? null, write.messageId ?? null, at);
  }
  const updated = sql.getBlock.get(blockId, userId);
  return updated ? toBlock(updated) : null;
}

/** See `Store.deleteBlock`. */
export function deleteBlock(
  sql: Statements,
  userId: string,
  blockId: string,
  force: boolean,
): 'deleted' | 'attached' | 'missing' {
  if (sql.blockRowid.get(userId, blockId) === undefined) return 'missing';
  if (!force && (sql.blockAgentCount.get(blockId) ?? 0) > 0) return 'attached';
  // ON DELETE CASCADE takes its attachments and its history.
  sql.deleteBlock.run(blockId, userId);
  return 'deleted';
}
