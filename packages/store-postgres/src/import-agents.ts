import type { Agent, AgentBundle, AgentImport } from '@memgate/core';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './transaction.ts';
import { insertBlocks, readAgent, writeAgent } from './write-agent.ts';
import { writeStep } from './write-step.ts';

/**
 * Writes an Agent File import in one transaction: the shared blocks, then each agent with its
 * blocks, history, window, summary and passages. Any failure (a dangling block id, a repeated id)
 * rolls all of it back. Every block's first value is recorded with actor `import`.
 */
export async function importAgents(pool: Pool, bundle: AgentBundle): Promise<Agent[]> {
  return inTransaction(pool, async (client) => {
    const createdAt = new Date().toISOString();
    for (const userId of new Set(bundle.blocks.map((block) => block.userId))) {
      const blocks = bundle.blocks.filter((block) => block.userId === userId);
      const rows = blocks.map((block) => ({ ...block, metadata: null, createdAt }));
      await insertBlocks(client, rows, { userId, standalone: false, actor: 'import' });
    }
    for (const imported of bundle.agents) await importAgent(client, imported);
    // Read once all are written: a shared block counts every agent of the import.
    const agents: Agent[] = [];
    for (const { agent } of bundle.agents) agents.push(await readAgent(client, agent.userId, agent.id));
    return agents;
  });
}

/**
 * One agent of an import: its history goes in as a turn step would write it (same function, same
 * checks), then the window starts at `messages[windowStart]` with the summary of what is before.
 */
async function importAgent(client: PoolClient, imported: AgentImport): Promise<void> {
  const { agent, messages, windowStart, summary, passages } = imported;
  await writeAgent(client, agent, 'import');
  const stored = await writeStep(client, { agentId: agent.id, messages, passages });
  const first = stored[windowStart];
  const last = stored.at(-1);
  const contextStartSeq = first ? first.seq : last ? last.seq + 1 : undefined;
  if (contextStartSeq !== undefined || summary) {
    await writeStep(client, {
      agentId: agent.id,
      messages: [],
      ...(contextStartSeq === undefined ? {} : { contextStartSeq }),
      ...(summary ? { summary } : {}),
    });
  }
}
