import { type Agent, MemgateError, type NewAgent } from '@memgate/core';
import type { PoolClient } from 'pg';
import { storable } from './postgres-errors.ts';
import { SQL } from './queries.ts';

/**
 * Inserts an agent, its default conversation (same statement) and its memory blocks, keeping the
 * blocks' order in `position`. Must run inside a transaction, so that a failing block leaves no
 * agent without memory behind.
 */
export async function writeAgent(client: PoolClient, agent: NewAgent): Promise<Agent> {
  if (new Set(agent.memory.map((block) => block.label)).size !== agent.memory.length) {
    throw new MemgateError('BAD_USER_INPUT', 'Memory block labels must be unique.');
  }
  const { id, userId, model, contextWindow, createdAt } = agent;
  const name = storable(agent.name);
  const system = storable(agent.system);
  const memory = agent.memory.map(({ label, value, limit }) => ({
    label: storable(label),
    value: storable(value),
    limit,
    version: 1,
  }));
  await client.query(SQL.insertAgent, [id, userId, name, model, system, contextWindow, createdAt]);
  if (memory.length > 0) {
    await client.query(SQL.insertBlocks, [
      id,
      memory.map((block) => block.label),
      memory.map((block) => block.value),
      memory.map((block) => block.limit),
    ]);
  }
  return { id, userId, name, model, system, contextWindow, createdAt, memory };
}
