import { z } from 'zod';
import { agentToolDefinitions } from '../agent/base-tools.ts';
import { requireWriteScope } from '../auth/key-scope.ts';
import { measureContext } from '../context/context-budget.ts';
import type { Passage, Principal, StoredMessage } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { parseOrThrow } from '../errors/validation.ts';
import type { LlmToolDefinition } from '../llm/provider.ts';
import { type ArchivalMemory, MAX_PASSAGE_CHARACTERS } from '../memory/archival-memory.ts';
import { RecallMemory } from '../memory/recall-memory.ts';
import type { SearchResults } from '../memory/search-results.ts';
import { NUL_MESSAGE, noNul } from '../schemas/json-limits.ts';
import type { Store } from '../store/store.ts';
import { type AgentService, messagePageSchema } from './agent-service.ts';
import { type ContextResource, contextResource } from './memory-resources.ts';

export const passageCreateSchema = z.strictObject({
  content: z
    .string()
    .max(MAX_PASSAGE_CHARACTERS)
    .refine((content) => content.trim() !== '', 'The content must not be empty.')
    .refine(noNul, NUL_MESSAGE),
});

export const passageSearchSchema = z.strictObject({
  q: z.string().min(1).max(2000),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

/** A search of an agent's history (recall memory), as the agent's `conversation_search` tool makes it. */
export const messageSearchSchema = passageSearchSchema.extend({
  /** Only this conversation of the agent; default: all of them. */
  conversation_id: z.string().min(1).max(200).optional(),
});

/** Whose embedding calls an archival request makes: the caller's, for the agent, in no conversation. */
function usageOwner(principal: Principal, agentId: string) {
  return { userId: principal.userId, keyId: principal.keyId ?? null, agentId, conversationId: null, turnId: null };
}

export interface MemoryServiceOptions {
  store: Store;
  agents: AgentService;
  archival: ArchivalMemory;
  /** The agent tools whose schemas a prompt carries; counted in the context report. */
  tools?: LlmToolDefinition[];
}

/** Archival memory and the context report, for every protocol; callers reach only their own agents. */
export class MemoryService {
  readonly #options: MemoryServiceOptions;

  constructor(options: MemoryServiceOptions) {
    this.#options = options;
  }

  async listPassages(principal: Principal, agentId: string, query: unknown): Promise<Passage[]> {
    const page = parseOrThrow(messagePageSchema, query ?? {}, 'query');
    await this.#options.agents.get(principal, agentId);
    return this.#options.store.listPassages(
      agentId,
      page.before ? { limit: page.limit, before: page.before } : { limit: page.limit },
    );
  }

  async insertPassage(principal: Principal, agentId: string, body: unknown, signal?: AbortSignal): Promise<Passage> {
    requireWriteScope(principal);
    const { content } = parseOrThrow(passageCreateSchema, body);
    const agent = await this.#options.agents.get(principal, agentId);
    const archival = this.#options.archival.withModel(agent.settings.embeddingModel);
    const usage = archival.usageLog(usageOwner(principal, agentId));
    try {
      return await archival.insert(agentId, content, signal, usage);
    } finally {
      await usage.settle(this.#options.store);
    }
  }

  async searchPassages(
    principal: Principal,
    agentId: string,
    query: unknown,
    signal?: AbortSignal,
  ): Promise<SearchResults<Passage>> {
    const { q, page, limit } = parseOrThrow(passageSearchSchema, query ?? {}, 'query');
    const agent = await this.#options.agents.get(principal, agentId);
    const archival = this.#options.archival.withModel(agent.settings.embeddingModel);
    const usage = archival.usageLog(usageOwner(principal, agentId));
    try {
      return await archival.search(agentId, q, { page, pageSize: limit }, signal, usage);
    } finally {
      await usage.settle(this.#options.store);
    }
  }

  /** Ranks the agent's history (every conversation, or one) by text relevance, best first. */
  async searchMessages(principal: Principal, agentId: string, query: unknown): Promise<SearchResults<StoredMessage>> {
    const { q, page, limit, conversation_id } = parseOrThrow(messageSearchSchema, query ?? {}, 'query');
    await this.#options.agents.get(principal, agentId);
    return new RecallMemory(this.#options.store).search(agentId, q, { page, pageSize: limit }, conversation_id);
  }

  async deletePassage(principal: Principal, agentId: string, passageId: string): Promise<void> {
    requireWriteScope(principal);
    await this.#options.agents.get(principal, agentId);
    if (!(await this.#options.store.deletePassage(agentId, passageId))) {
      throw new MemgateError('NOT_FOUND', `Agent ${agentId} has no archival passage ${passageId}.`, {
        detailCode: 'passage_not_found',
      });
    }
  }

  /** Token counts of the agent's next prompt, section by section, as the turn itself counts them. */
  async context(principal: Principal, agentId: string): Promise<ContextResource> {
    const agent = await this.#options.agents.get(principal, agentId);
    const { store } = this.#options;
    const [summary, messages] = await Promise.all([
      store.getContextSummary(agentId),
      store.listContextMessages(agentId),
    ]);
    const measure = measureContext(
      {
        system: agent.system,
        memory: agent.memory,
        summary,
        messages,
        tools: this.#options.tools ?? agentToolDefinitions(),
      },
      agent.contextWindow,
    );
    return contextResource(agentId, measure, { messages: messages.length, summary });
  }
}
