import type { Agent, AgentPatch, MemoryBlock } from '@memgate/core';
import type { Pool } from 'pg';
import { storable } from './postgres-errors.ts';
import { SQL } from './queries.ts';
import { toAgent, toMemoryBlock } from './row-mapping.ts';
import type { AgentRow, MemoryBlockRow } from './rows.ts';
import { storableMetadata, storableSettings } from './storable-metadata.ts';
import { inTransaction } from './transaction.ts';

/**
 * Deletes the user's agent with what it holds, then the blocks only it used, unless made through
 * `/v1/blocks` (standalone). True when it existed.
 */
export async function deleteAgent(pool: Pool, userId: string, agentId: string): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    // ON DELETE CASCADE takes its conversations, messages, pending calls and agent_blocks rows.
    const { rows } = await client.query<{ block_ids: string[] }>(SQL.deleteAgent, [agentId, userId]);
    if (!rows[0]) return false;
    const blockIds = rows[0].block_ids;
    if (blockIds.length > 0) {
      // Locked first, in a statement of its own: the next one then sees any attach that was under
      // way, and an attach that comes after waits, then finds the block gone (NOT_FOUND).
      await client.query(SQL.lockBlocks, [blockIds]);
      await client.query(SQL.deleteOrphanBlocks, [blockIds]);
    }
    return true;
  });
}

/** A user's write of the agent's block with this label, recorded in its history; one statement. */
export async function setMemoryBlock(
  pool: Pool,
  agentId: string,
  label: string,
  value: string,
): Promise<MemoryBlock | null> {
  const { rows } = await pool.query<MemoryBlockRow>({
    ...SQL.setMemoryBlock,
    values: [agentId, label, storable(value), new Date().toISOString()],
  });
  return rows[0] ? toMemoryBlock(rows[0]) : null;
}

/** Changes the fields the patch sets and reads the agent back, in one statement; null when not the user's. */
export async function updateAgent(
  pool: Pool,
  userId: string,
  agentId: string,
  patch: AgentPatch,
): Promise<Agent | null> {
  const { rows } = await pool.query<AgentRow>(SQL.updateAgent, [
    agentId,
    userId,
    patch.name !== undefined,
    patch.name === undefined ? null : storable(patch.name),
    patch.model !== undefined,
    patch.model ?? null,
    patch.system !== undefined,
    patch.system === undefined ? null : storable(patch.system),
    patch.contextWindow !== undefined,
    patch.contextWindow ?? null,
    patch.tags !== undefined,
    patch.tags === undefined ? null : JSON.stringify(patch.tags.map((tag) => storable(tag))),
    patch.metadata !== undefined,
    storableMetadata(patch.metadata ?? null),
    patch.settings !== undefined,
    patch.settings === undefined ? null : storableSettings(patch.settings),
  ]);
  return rows[0] ? toAgent(rows[0]) : null;
}
