import type { Agent, NewAgent } from '@memgate/core';
import { MemgateError } from '@memgate/core/store-kit';
import { toAgent } from './row-mapping.ts';
import type { Statements } from './statements.ts';

/**
 * Inserts an agent and its memory blocks, keeping the blocks' order in `position`. Must run
 * inside a transaction, so that a failing block leaves no agent without memory behind.
 */
export function writeAgent(sql: Statements, agent: NewAgent): Agent {
  if (new Set(agent.memory.map((block) => block.label)).size !== agent.memory.length) {
    throw new MemgateError('BAD_USER_INPUT', 'Memory block labels must be unique.');
  }
  const { id, userId, name, model, system, contextWindow, createdAt } = agent;
  const row = { id, user_id: userId, name, model, system, context_window: contextWindow, created_at: createdAt };
  sql.insertAgent.run(row);
  // The default conversation: the agent's id, holding the history of clients that name no conversation.
  sql.insertConversation.run({
    id,
    agent_id: id,
    name: null,
    metadata: null,
    created_at: createdAt,
    updated_at: createdAt,
  });
  agent.memory.forEach((block, position) => {
    sql.insertBlock.run(id, block.label, block.value, block.limit, position);
  });
  return toAgent(
    row,
    agent.memory.map(({ label, value, limit }) => ({ label, value, limit, version: 1 })),
  );
}
