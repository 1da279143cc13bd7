import type { Principal } from '../domain/types.ts';
import type { Memgate } from '../memgate.ts';
import { type PassageResource, passageResource } from './memory-resources.ts';
import { type AgentResource, agentResource, type MessageResource, messageResource } from './resources.ts';

/**
 * memgate's own JSON export of one agent: its settings and memory blocks, every message and every
 * archival passage, oldest first. Not the Letta Agent File format (.af), which is a later issue.
 */
export interface AgentExport {
  format: 'memgate.agent-export';
  version: 1;
  exported_at: string;
  agent: AgentResource;
  messages: MessageResource[];
  passages: PassageResource[];
}

const PAGE = 1000;

/** Reads every page, newest first, and returns the items oldest first. */
async function readAll<T extends { id: string }>(page: (before: string | undefined) => Promise<T[]>): Promise<T[]> {
  const pages: T[][] = [];
  let before: string | undefined;
  for (;;) {
    const items = await page(before);
    pages.unshift(items);
    if (items.length < PAGE || !items[0]) break;
    before = items[0].id;
  }
  return pages.flat();
}

/** Exports an agent of `principal`'s; NOT_FOUND for any other. */
export async function exportAgent(memgate: Memgate, principal: Principal, agentId: string): Promise<AgentExport> {
  const agent = await memgate.agents.get(principal, agentId);
  const query = (before: string | undefined) => (before ? { limit: PAGE, before } : { limit: PAGE });
  const messages = await readAll((before) => memgate.agents.messages(principal, agentId, query(before)));
  const passages = await readAll((before) => memgate.memory.listPassages(principal, agentId, query(before)));
  return {
    format: 'memgate.agent-export',
    version: 1,
    exported_at: new Date().toISOString(),
    agent: agentResource(agent),
    messages: messages.map(messageResource),
    passages: passages.map(passageResource),
  };
}
