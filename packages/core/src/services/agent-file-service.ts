import {
  type AgentFileExport,
  DEFAULT_MAX_IMPORT_BYTES,
  exportAgentFile,
  parseAgentFile,
  parseAgentFileExportQuery,
  parseAgentFileImportQuery,
  planAgentImport,
} from '../agent-file/index.ts';
import { requireWriteScope } from '../auth/key-scope.ts';
import type { Agent, Principal } from '../domain/types.ts';
import type { LlmProvider } from '../llm/provider.ts';
import type { ArchivalMemory } from '../memory/archival-memory.ts';
import type { AgentBundle, Store } from '../store/store.ts';
import type { AgentService } from './agent-service.ts';

/** What an import answers: the new agents, and everything of the file memgate will not run. */
export interface AgentFileImportResult {
  agent_ids: string[];
  warnings: string[];
  /** True when nothing was stored (`?dry_run=true`): `agent_ids` are the ids it would have had. */
  dry_run: boolean;
}

export interface AgentFileServiceOptions {
  store: Store;
  agents: AgentService;
  provider: LlmProvider;
  archival: ArchivalMemory;
  defaultModel: string;
  /** Largest file an import reads (MEMGATE_MAX_IMPORT_BYTES); default 50 MiB. */
  maxImportBytes?: number;
}

/**
 * An import's result with its agents: as stored, or on a dry run as planned (ids they would have,
 * blocks without versions), for a protocol that answers with agents rather than ids (GraphQL).
 */
export interface AgentFileImportOutcome extends AgentFileImportResult {
  agents: Agent[];
}

const PAGE = 1000;

/** An agent of an import plan as it would be stored: its own blocks, then the file's shared ones. */
function plannedAgent(entry: AgentBundle['agents'][number], shared: AgentBundle['blocks']): Agent {
  const { blockIds = [], memory, ...agent } = entry.agent;
  const attached = blockIds.flatMap((id) => shared.filter((block) => block.id === id));
  const blocks = [...memory, ...attached].map(({ id, label, value, limit, description, readOnly }) => ({
    id,
    label,
    value,
    limit,
    description: description ?? null,
    readOnly: readOnly ?? false,
  }));
  return { ...agent, memory: blocks };
}

/** Every item of a paged list (newest page first, each oldest first), oldest first. */
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

/**
 * Letta's Agent File (.af): exports an agent with its blocks, history, window and archival memory,
 * and imports the agents of a file in one transaction. An import never runs code and never
 * connects to anything the file names: what memgate cannot run becomes a warning.
 */
export class AgentFileService {
  constructor(private readonly options: AgentFileServiceOptions) {}

  /** The largest file an import reads, in bytes. */
  get maxImportBytes(): number {
    return this.options.maxImportBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  }

  async export(principal: Principal, agentId: string, query: unknown): Promise<AgentFileExport> {
    const { messages: include } = parseAgentFileExportQuery(query);
    const agent = await this.options.agents.get(principal, agentId);
    const { store } = this.options;
    const pageOf = (before: string | undefined) => (before ? { limit: PAGE, before } : { limit: PAGE });
    const [messages, window, summary, passages, conversations] = await Promise.all([
      readAll((before) => store.listMessages(agentId, { ...pageOf(before), conversationId: agentId })),
      store.listContextMessages(agentId),
      store.getContextSummary(agentId),
      readAll((before) => store.listPassages(agentId, pageOf(before))),
      readAll((before) => store.listConversations(agentId, pageOf(before))),
    ]);
    const firstInWindow = window[0] ? messages.findIndex((message) => message.id === window[0]!.id) : -1;
    return exportAgentFile({
      agent,
      messages,
      windowStart: firstInWindow === -1 ? messages.length : firstInWindow,
      summary,
      passages,
      conversations,
      include,
    });
  }

  /**
   * Imports every agent of an Agent File (`text`, as uploaded) for the caller, all or nothing.
   * Passages are re-embedded when embeddings are configured. `?dry_run=true` checks and plans the
   * import and stores nothing.
   */
  async import(
    principal: Principal,
    text: string,
    query: unknown,
    signal?: AbortSignal,
  ): Promise<AgentFileImportResult> {
    const { agent_ids, warnings, dry_run } = await this.importAgents(principal, text, query, signal);
    return { agent_ids, warnings, dry_run };
  }

  /** `import`, answering with the agents too: the stored ones, or on a dry run the planned ones. */
  async importAgents(
    principal: Principal,
    text: string,
    query: unknown,
    signal?: AbortSignal,
  ): Promise<AgentFileImportOutcome> {
    requireWriteScope(principal);
    const { dryRun } = parseAgentFileImportQuery(query);
    const document = parseAgentFile(text, { maxBytes: this.maxImportBytes });
    const { archival, provider } = this.options;
    const plan = planAgentImport(document, {
      userId: principal.userId,
      defaultModel: this.options.defaultModel,
      models: provider.models.length > 0 ? provider.models : null,
      embeddingModel: archival.embeddingModel,
    });
    if (dryRun) {
      const agents = plan.bundle.agents.map((entry) => plannedAgent(entry, plan.bundle.blocks));
      return { agents, agent_ids: agents.map((agent) => agent.id), warnings: plan.warnings, dry_run: true };
    }
    // The embedding calls are the caller's, recorded for no agent: the agents may not exist yet.
    const usage = archival.usageLog({
      userId: principal.userId,
      keyId: principal.keyId ?? null,
      agentId: null,
      conversationId: null,
      turnId: null,
    });
    try {
      for (const entry of plan.bundle.agents) {
        // Vectors are never in a file: each passage is embedded again, as if inserted now.
        entry.passages = await Promise.all(
          entry.passages.map(async (passage) => {
            const embedder = archival.withModel(entry.agent.settings.embeddingModel);
            const prepared = await embedder.prepare(passage.agentId, passage.content, signal, usage);
            return { ...passage, embedding: prepared.embedding, embeddingModel: prepared.embeddingModel };
          }),
        );
      }
      const stored = await this.options.store.importAgents(plan.bundle);
      return { agents: stored, agent_ids: stored.map((agent) => agent.id), warnings: plan.warnings, dry_run: false };
    } finally {
      await usage.settle(this.options.store);
    }
  }
}
