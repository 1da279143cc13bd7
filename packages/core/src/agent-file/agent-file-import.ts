import { randomUUID } from 'node:crypto';
import { DEFAULT_SYSTEM_PROMPT } from '../agent/system-prompt.ts';
import type { ContextSummary, NewPassage } from '../domain/types.ts';
import type { AgentBundle, AgentImport } from '../store/store.ts';
import { planBlocks, toMemoryBlock, uniqueLabels } from './agent-file-blocks.ts';
import { importHistory } from './agent-file-messages.ts';
import type { AgentFileAgent, AgentFileDocument } from './agent-file-schema.ts';
import { contextWindow, importMetadata, importSettings, importTags, resolveModel } from './agent-file-settings.ts';
import { reportUnsupportedEntities, reportUnsupportedSettings } from './agent-file-unsupported.ts';
import { ImportNotes } from './import-notes.ts';
import { type MemgateAgentState, readMemgateState } from './memgate-state.ts';

/** Letta's agent types whose loop is memgate's (MemGPT's): a heartbeat-chained tool loop over memory blocks. */
export const MEMGPT_AGENT_TYPES: ReadonlySet<string> = new Set([
  'memgpt_agent',
  'memgpt_v2_agent',
  'letta_v1_agent',
  'sleeptime_agent',
]);

/** What an import plan needs from the server that will store it. */
export interface AgentImportOptions {
  /** The user who will own every agent and block. */
  userId: string;
  /** Stands in for a message's missing or unreadable `created_at`; default: now. */
  now?: Date;
  /** Used for an agent whose model the upstream does not offer (or that names none). */
  defaultModel: string;
  /** The upstream's model ids; null or absent when unknown, and every model is kept. */
  models?: readonly string[] | null;
  /** The model passages will be re-embedded with; null when no embeddings are configured. */
  embeddingModel: string | null;
}

/** An import ready for `Store.importAgents`, and everything the file held that memgate will not run. */
export interface AgentImportPlan {
  bundle: AgentBundle;
  warnings: string[];
}

/**
 * Turns a parsed Agent File into what memgate stores: new ids for every agent, block, message and
 * passage; blocks several of the file's agents reference become shared blocks; the rest are the
 * agent's own. Pure: it reads nothing but the document and never runs or fetches what the file
 * names. Everything memgate cannot run is listed in `warnings`, by name.
 */
export function planAgentImport(document: AgentFileDocument, options: AgentImportOptions): AgentImportPlan {
  const notes = new ImportNotes();
  const now = (options.now ?? new Date()).toISOString();
  const memgate = readMemgateState(document);
  if (memgate.unreadable) notes.warn('metadata.memgate is not memgate state this version reads; it was ignored.');
  reportUnsupportedEntities(document, notes);
  const blocks = planBlocks(document, options.userId, notes);
  const agents = document.agents.map((agent, index) => {
    const state = memgate.state?.agents[agent.id] ?? null;
    return planAgent({ agent, index, state, blocks, options, now, notes });
  });
  return { bundle: { blocks: blocks.shared, agents }, warnings: notes.list() };
}

interface AgentPlanInput {
  agent: AgentFileAgent;
  index: number;
  state: MemgateAgentState | null;
  blocks: ReturnType<typeof planBlocks>;
  options: AgentImportOptions;
  now: string;
  notes: ImportNotes;
}

function planAgent({ agent, index, state, blocks, options, now, notes }: AgentPlanInput): AgentImport {
  const name = `Agent ${agent.id}`;
  const id = `agent-${randomUUID()}`;
  if (agent.agent_type && !MEMGPT_AGENT_TYPES.has(agent.agent_type)) {
    notes.warn(`${name}: agent type "${agent.agent_type}" is not one memgate runs; it runs as a MemGPT agent.`);
  }
  reportUnsupportedSettings(agent, notes);
  const fileBlockIds = [...new Set(agent.block_ids ?? [])];
  const own = fileBlockIds
    .filter((blockId) => !blocks.sharedFileIds.has(blockId))
    .flatMap((blockId) => blocks.byFileId.get(blockId) ?? []);
  (agent.memory_blocks ?? []).forEach((block, blockIndex) => {
    own.push(toMemoryBlock(block, `${name} memory_blocks[${blockIndex}]`, notes));
  });
  const shared = fileBlockIds.filter((blockId) => blocks.sharedFileIds.has(blockId));
  const sharedBlocks = shared.flatMap((blockId) => blocks.byFileId.get(blockId) ?? []);
  uniqueLabels(own, sharedBlocks, { index, id: agent.id }, notes);
  const model = resolveModel(agent, options, notes);
  const history = importHistory(agent, id, now, notes);
  return {
    agent: {
      id,
      userId: options.userId,
      name: notes.text(agent.name?.trim().slice(0, 200) || 'Imported agent'),
      model,
      system: systemPrompt(agent, notes),
      contextWindow: contextWindow(agent, model, notes),
      createdAt: now,
      memory: own,
      blockIds: sharedBlocks.map((block) => block.id),
      tags: importTags(agent, notes),
      metadata: importMetadata(agent, notes),
      settings: importSettings(state, agent.id, options, notes),
    },
    messages: history.messages,
    windowStart: history.windowStart,
    summary: importSummary(state),
    passages: importPassages(state, id, options.embeddingModel, now, notes),
  };
}

function systemPrompt(agent: AgentFileAgent, notes: ImportNotes): string {
  if (agent.system?.trim()) return notes.text(agent.system);
  notes.warn(`Agent ${agent.id}: it has no system prompt; memgate's default is used.`);
  return DEFAULT_SYSTEM_PROMPT;
}

function importSummary(state: MemgateAgentState | null): ContextSummary | null {
  const summary = state?.summary;
  if (!summary) return null;
  return { text: summary.text, messageCount: summary.message_count, updatedAt: summary.updated_at };
}

/** Archival passages, without vectors: the caller embeds them again with `embeddingModel`, if any. */
function importPassages(
  state: MemgateAgentState | null,
  agentId: string,
  embeddingModel: string | null,
  now: string,
  notes: ImportNotes,
): NewPassage[] {
  for (const conversation of state?.conversations ?? []) {
    notes.warn(
      `Conversation "${conversation.name ?? conversation.id}" was not imported: only an agent's default conversation is imported yet.`,
    );
  }
  const passages = state?.passages ?? [];
  if (passages.length > 0 && embeddingModel === null) {
    notes.warn(`${passages.length} archival passages were imported without embeddings: none are configured.`);
  }
  return passages.map((passage) => ({
    id: `passage-${randomUUID()}`,
    agentId,
    content: notes.text(passage.content),
    embeddingModel,
    createdAt: passage.created_at && !Number.isNaN(Date.parse(passage.created_at)) ? passage.created_at : now,
    embedding: null,
  }));
}
