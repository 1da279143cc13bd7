import type { Agent, AgentPatch, AgentSettings, BlockActor, NewAgent } from '@memgate/core';
import { agentSettingsOf, MemgateError, storableText } from '@memgate/core/store-kit';
import { storableMetadata } from './row-mapping.ts';
import type { Statements } from './statements.ts';
import { attachBlock, insertBlock, readAgent } from './write-blocks.ts';

/**
 * Inserts an agent with its default conversation, creates its new blocks (history written by
 * `actor`) and attaches them, then the existing blocks of `blockIds`, in that order (`position`).
 * Must run inside a transaction, so that a failing block leaves no agent without memory behind.
 */
export function writeAgent(sql: Statements, agent: NewAgent, actor: BlockActor): Agent {
  const { id, userId, name, model, system, contextWindow, createdAt } = agent;
  sql.insertAgent.run({
    id,
    user_id: userId,
    name,
    model,
    system,
    context_window: contextWindow,
    created_at: createdAt,
    tags: JSON.stringify(agent.tags.map((tag) => storableText(tag))),
    metadata: storableMetadata(agent.metadata),
    settings: storableSettings(agent.settings),
    mcp_tools: '[]',
  });
  // The default conversation: the agent's id, holding the history of clients that name no conversation.
  sql.insertConversation.run({
    id,
    agent_id: id,
    name: null,
    metadata: null,
    created_at: createdAt,
    updated_at: createdAt,
  });
  for (const block of agent.memory) {
    insertBlock(sql, { ...block, userId, createdAt }, false, { actor });
    attachBlock(sql, userId, id, block.id);
  }
  for (const blockId of agent.blockIds ?? []) attachBlock(sql, userId, id, blockId);
  const written = readAgent(sql, userId, id);
  // The agent row was inserted just above, in this transaction.
  if (!written) throw new Error(`Agent ${id} vanished while it was written.`);
  return written;
}

/** Applies an agent patch; null when the agent is not the user's. */
export function updateAgent(sql: Statements, userId: string, agentId: string, patch: AgentPatch): Agent | null {
  const row = sql.getAgent.get(agentId, userId);
  if (!row) return null;
  if (patch.contextWindow !== undefined && !(Number.isInteger(patch.contextWindow) && patch.contextWindow > 0)) {
    throw new MemgateError('BAD_USER_INPUT', 'context_window must be a positive integer.', {
      param: 'context_window',
    });
  }
  sql.updateAgent.run(
    patch.name === undefined ? row.name : storableText(patch.name),
    patch.model ?? row.model,
    patch.system === undefined ? row.system : storableText(patch.system),
    patch.contextWindow ?? row.context_window,
    patch.tags === undefined ? row.tags : JSON.stringify(patch.tags.map((tag) => storableText(tag))),
    patch.metadata === undefined ? row.metadata : storableMetadata(patch.metadata),
    patch.settings === undefined ? row.settings : storableSettings(patch.settings),
    agentId,
    userId,
  );
  return readAgent(sql, userId, agentId);
}

/**
 * Deletes the user's agent and the blocks that go with it (see `Store.deleteAgent`); false when it
 * is not the user's. Must run inside a transaction.
 */
export function deleteAgent(sql: Statements, userId: string, agentId: string): boolean {
  if (!sql.getAgent.get(agentId, userId)) return false;
  sql.deleteBlocksOnlyOf.run(agentId);
  return sql.deleteAgent.run(agentId, userId).changes > 0;
}

/** The settings as stored: JSON of every field, the models with their text made storable. */
function storableSettings(settings: AgentSettings): string {
  return JSON.stringify(agentSettingsOf(settings, storableText));
}
