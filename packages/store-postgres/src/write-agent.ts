import { type Agent, type BlockActor, MemgateError, type MemoryBlock, type NewAgent } from '@memgate/core';
import type { PoolClient } from 'pg';
import { BLOCK_SQL } from './block-queries.ts';
import { storable } from './postgres-errors.ts';
import { SQL } from './queries.ts';
import { toAgent } from './row-mapping.ts';
import type { AgentRow } from './rows.ts';
import { storableMetadata, storableSettings } from './storable-metadata.ts';

/** A block to insert: an agent's new block, a bundle's block or one made through `/v1/blocks`. */
export interface BlockInsert extends Pick<MemoryBlock, 'label' | 'value' | 'limit' | 'description' | 'readOnly'> {
  id: string;
  metadata?: Record<string, string> | null;
  createdAt: string;
}

/** Who owns blocks being inserted, whether they outlive their agents, and who wrote their first value. */
export interface BlockOwner {
  userId: string;
  standalone: boolean;
  actor: BlockActor;
}

/** Inserts blocks, each at version 1 with its first history entry, in one statement. */
export async function insertBlocks(client: PoolClient, blocks: BlockInsert[], owner: BlockOwner): Promise<void> {
  if (blocks.length === 0) return;
  await client.query(BLOCK_SQL.insertBlocks, [
    blocks.map((block) => block.id),
    owner.userId,
    blocks.map((block) => storable(block.label)),
    blocks.map((block) => storable(block.value)),
    blocks.map((block) => block.limit),
    blocks.map((block) => (block.description == null ? null : storable(block.description))),
    blocks.map((block) => block.readOnly ?? false),
    blocks.map((block) => storableMetadata(block.metadata ?? null)),
    owner.standalone,
    blocks.map((block) => block.createdAt),
    owner.actor,
  ]);
}

/** The refusal of a second block with one label on one agent. */
export function labelConflict(label: string): MemgateError {
  return new MemgateError('BAD_USER_INPUT', `The agent already has a memory block labelled "${label}".`, {
    detailCode: 'label_conflict',
  });
}

/**
 * Inserts an agent, its default conversation (same statement), its new blocks and the user's
 * existing blocks it names, keeping their order in `position`, and reads it back. Must run inside
 * a transaction, so that a refused block leaves no agent without memory behind. `actor` is whom
 * the new blocks' first history entry names (`import` for an Agent File). The named blocks (found
 * among those written earlier in the same transaction too: an import's shared blocks) and the
 * labels are checked before anything is written.
 */
export async function writeAgent(client: PoolClient, agent: NewAgent, actor: BlockActor = 'user'): Promise<Agent> {
  const blockIds = agent.blockIds ?? [];
  const existing = new Map<string, string>();
  if (blockIds.length > 0) {
    const { rows } = await client.query<{ id: string; label: string }>(BLOCK_SQL.lockUserBlocks, [
      blockIds,
      agent.userId,
    ]);
    for (const row of rows) existing.set(row.id, row.label);
    const missing = blockIds.find((id) => !existing.has(id));
    if (missing !== undefined) throw new MemgateError('NOT_FOUND', `Block ${missing} does not exist.`);
  }
  const labels = [
    ...agent.memory.map((block) => storable(block.label)),
    ...blockIds.map((id) => existing.get(id) ?? ''),
  ];
  const repeated = labels.find((label, index) => labels.indexOf(label) !== index);
  if (repeated !== undefined) throw labelConflict(repeated);

  const { id, userId, model, contextWindow, createdAt } = agent;
  await client.query(SQL.insertAgent, [
    id,
    userId,
    storable(agent.name),
    model,
    storable(agent.system),
    contextWindow,
    createdAt,
    JSON.stringify(agent.tags.map((tag) => storable(tag))),
    storableMetadata(agent.metadata),
    storableSettings(agent.settings),
  ]);
  await insertBlocks(
    client,
    agent.memory.map((block) => ({ ...block, metadata: null, createdAt })),
    { userId, standalone: false, actor },
  );
  // A block named twice has its label twice, refused above.
  const attached = [...agent.memory.map((block) => block.id), ...blockIds];
  if (attached.length > 0) await client.query(BLOCK_SQL.attachBlocks, [id, attached]);
  return readAgent(client, userId, id);
}

/** The agent as getAgent reads it, inside the caller's transaction. */
export async function readAgent(client: PoolClient, userId: string, agentId: string): Promise<Agent> {
  const { rows } = await client.query<AgentRow>({ ...SQL.getAgent, values: [agentId, userId] });
  if (!rows[0]) throw new MemgateError('NOT_FOUND', `Agent ${agentId} does not exist.`);
  return toAgent(rows[0]);
}
