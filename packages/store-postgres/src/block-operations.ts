import {
  type Agent,
  type Block,
  type BlockHistoryEntry,
  type BlockPatch,
  type BlockWrite,
  MemgateError,
  type MessagePage,
  type NewBlock,
} from '@memgate/core';
import type { Pool, PoolClient } from 'pg';
import { BLOCK_SQL } from './block-queries.ts';
import { storable, translateConstraints } from './postgres-errors.ts';
import { toBlock, toBlockHistoryEntry } from './row-mapping.ts';
import type { BlockHistoryRow, BlockRow } from './rows.ts';
import { storableMetadata } from './storable-metadata.ts';
import { inTransaction } from './transaction.ts';
import { insertBlocks, labelConflict, readAgent } from './write-agent.ts';

/**
 * The block operations of the Store (`/v1/blocks`, attach, detach, history) on PostgreSQL. A
 * write that checks something first (a version, a label, whether agents hold the block) locks
 * what it checks in its transaction, so two instances cannot both pass the check.
 */
export class PostgresBlocks {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async create(block: NewBlock): Promise<Block> {
    const messages = { conflict: `Block ${block.id} already exists.`, missing: `User ${block.userId} does not exist.` };
    return translateConstraints(messages, () =>
      inTransaction(this.#pool, async (client) => {
        await insertBlocks(client, [block], { userId: block.userId, standalone: true, actor: 'user' });
        return (await readBlock(client, block.userId, block.id))!;
      }),
    );
  }

  async get(userId: string, blockId: string): Promise<Block | null> {
    return readBlock(this.#pool, userId, blockId);
  }

  async list(userId: string, page: MessagePage & { label?: string }): Promise<Block[]> {
    const limit = Math.max(0, Math.trunc(page.limit));
    const { rows } = await this.#pool.query<BlockRow>(BLOCK_SQL.listBlocks, [
      userId,
      page.before ?? null,
      page.label === undefined ? null : storable(page.label),
      limit,
    ]);
    // Fetched newest first so that LIMIT keeps the newest; a page reads oldest first.
    return rows.reverse().map(toBlock);
  }

  async update(userId: string, blockId: string, patch: BlockPatch, write: BlockWrite): Promise<Block | null> {
    return inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query<{ label: string; value: string; version: number }>(BLOCK_SQL.lockBlock, [
        blockId,
        userId,
      ]);
      const current = rows[0];
      if (!current) return null;
      if (write.expectedVersion !== undefined && write.expectedVersion !== current.version) {
        throw new MemgateError(
          'CONFLICT',
          `Block ${blockId} is at version ${current.version}, not ${write.expectedVersion}: it changed since it was read.`,
          { detailCode: 'memory_conflict' },
        );
      }
      const label = patch.label === undefined ? undefined : storable(patch.label);
      if (label !== undefined && label !== current.label) {
        // The agents' rows first (as attachBlock takes them), then the check: no attach slips in between.
        await client.query(BLOCK_SQL.lockAgentsOfBlock, [blockId]);
        const taken = await client.query(BLOCK_SQL.labelTakenNextTo, [blockId, label]);
        if ((taken.rowCount ?? 0) > 0) throw labelConflict(label);
      }
      const value = patch.value === undefined ? undefined : storable(patch.value);
      const written = value !== undefined && value !== current.value;
      const at = new Date().toISOString();
      const updated = await client.query<{ version: number; value: string }>(BLOCK_SQL.updateBlock, [
        blockId,
        label !== undefined,
        label ?? null,
        written,
        value ?? null,
        patch.limit !== undefined,
        patch.limit ?? null,
        patch.description !== undefined,
        patch.description == null ? null : storable(patch.description),
        patch.readOnly !== undefined,
        patch.readOnly ?? null,
        patch.metadata !== undefined,
        storableMetadata(patch.metadata ?? null),
        at,
        written,
      ]);
      if (written) {
        const row = updated.rows[0]!;
        await client.query(BLOCK_SQL.insertHistory, [
          blockId,
          row.version,
          row.value,
          write.actor,
          write.agentId ?? null,
          write.messageId ?? null,
          at,
        ]);
      }
      return readBlock(client, userId, blockId);
    });
  }

  async delete(userId: string, blockId: string, force: boolean): Promise<'deleted' | 'attached' | 'missing'> {
    return inTransaction(this.#pool, async (client) => {
      // FOR UPDATE holds off a concurrent attach (its foreign key check locks the block's key).
      const { rows } = await client.query<{ attached: boolean }>(BLOCK_SQL.lockForDelete, [blockId, userId]);
      if (!rows[0]) return 'missing';
      if (rows[0].attached && !force) return 'attached';
      // ON DELETE CASCADE detaches it from its agents and takes its history.
      await client.query(BLOCK_SQL.deleteBlock, [blockId]);
      return 'deleted';
    });
  }

  async attach(userId: string, agentId: string, blockId: string): Promise<Agent> {
    return inTransaction(this.#pool, async (client) => {
      const agent = await client.query(BLOCK_SQL.lockUserAgent, [agentId, userId]);
      if ((agent.rowCount ?? 0) === 0) throw new MemgateError('NOT_FOUND', `Agent ${agentId} does not exist.`);
      const block = await client.query<{ id: string; label: string }>(BLOCK_SQL.lockUserBlocks, [[blockId], userId]);
      const label = block.rows[0]?.label;
      if (label === undefined) throw new MemgateError('NOT_FOUND', `Block ${blockId} does not exist.`);
      const { rows } = await client.query<{ id: string; label: string }>(BLOCK_SQL.agentLabels, [agentId]);
      if (!rows.some((row) => row.id === blockId)) {
        if (rows.some((row) => row.label === label)) throw labelConflict(label);
        await client.query(BLOCK_SQL.attachBlocks, [agentId, [blockId]]);
      }
      return readAgent(client, userId, agentId);
    });
  }

  async detach(userId: string, agentId: string, blockId: string): Promise<boolean> {
    return ((await this.#pool.query(BLOCK_SQL.detachBlock, [agentId, blockId, userId])).rowCount ?? 0) > 0;
  }

  async history(
    userId: string,
    blockId: string,
    page: { limit: number; before?: number },
  ): Promise<BlockHistoryEntry[] | null> {
    const limit = Math.max(0, Math.trunc(page.limit));
    const { rows } = await this.#pool.query<BlockHistoryRow>(BLOCK_SQL.blockHistory, [
      blockId,
      userId,
      page.before ?? null,
      limit,
    ]);
    if (rows.length === 0) return null;
    return rows.filter((row) => row.version !== null).map(toBlockHistoryEntry);
  }
}

/** The user's block with its agents, or null; on the pool or inside a transaction. */
async function readBlock(client: Pool | PoolClient, userId: string, blockId: string): Promise<Block | null> {
  const { rows } = await client.query<BlockRow>(BLOCK_SQL.getBlock, [blockId, userId]);
  return rows[0] ? toBlock(rows[0]) : null;
}
