import type { Agent, AgentBundle, AgentImport } from '@memgate/core';
import { storableAgent, storableStep, storableText } from '@memgate/core/store-kit';
import type { Statements } from './statements.ts';
import { writeAgent } from './write-agent.ts';
import { insertBlock, readAgent } from './write-blocks.ts';
import { writeStep } from './write-step.ts';

/**
 * Writes an import (Agent File): the blocks its agents share, then each agent with its blocks,
 * history, window, summary and passages. Must run inside one transaction: any failure (a dangling
 * block id, a repeated id) throws part-way, and the rollback leaves nothing of the import behind.
 */
export function writeImport(sql: Statements, bundle: AgentBundle): Agent[] {
  const at = new Date().toISOString();
  for (const block of bundle.blocks) insertBlock(sql, { ...block, createdAt: at }, false, { actor: 'import' });
  for (const imported of bundle.agents) writeImportedAgent(sql, imported);
  // Read once all are written: a shared block's agent count includes the agents written after the first.
  return bundle.agents.map(({ agent }) => {
    const written = readAgent(sql, agent.userId, agent.id);
    if (!written) throw new Error(`Agent ${agent.id} vanished while it was imported.`);
    return written;
  });
}

function writeImportedAgent(sql: Statements, imported: AgentImport): void {
  const { windowStart, messages } = imported;
  if (!Number.isInteger(windowStart) || windowStart < 0 || windowStart > messages.length) {
    throw new Error(`An import's window start ${windowStart} is outside its ${messages.length} messages.`);
  }
  const agent = writeAgent(sql, storableAgent(imported.agent), 'import');
  // The history goes in as one step of the agent's default conversation, with the ids and times it had.
  const step = storableStep({ agentId: agent.id, messages: imported.messages, passages: imported.passages });
  const stored = writeStep(sql, step);
  const first = stored[windowStart];
  const last = stored.at(-1);
  // No message in the window: it starts after the last one.
  const start = first ? first.seq : last ? last.seq + 1 : 0;
  sql.setContextStart.run(start, agent.id);
  const { summary } = imported;
  if (summary) sql.setSummary.run(storableText(summary.text), summary.messageCount, summary.updatedAt, agent.id);
}
