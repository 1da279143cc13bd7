import type { z } from 'zod';
import { DEFAULT_PROVIDER_NAME } from '../config-providers.ts';
import type { Agent, Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { LlmProvider } from '../llm/provider.ts';
import type { modelEntrySchema, modelListSchema } from '../schemas/resource-schemas.ts';
import type { Store } from '../store/store.ts';

/** `owned_by` of an agent entry, telling chat UIs an agent apart from a bare upstream model. */
export const AGENT_OWNER = 'memgate-agent';
/** `owned_by` of an upstream model entry. */
export const UPSTREAM_OWNER = 'upstream';

/** One entry of the model list, in OpenAI's `model` shape plus a display `name`. */
export type ModelEntry = z.output<typeof modelEntrySchema>;

export type ModelList = z.output<typeof modelListSchema>;

/**
 * The caller's agents and the configured upstream models, as OpenAI-style models: what chat
 * UIs list and pick from, since `model` may name the agent (contract §2).
 */
export class ModelCatalog {
  constructor(
    private readonly store: Store,
    private readonly provider: LlmProvider,
  ) {}

  async list(principal: Principal): Promise<ModelList> {
    const agents = await this.store.listAgents(principal.userId);
    const upstream = this.provider.models.map((id) => this.upstreamEntry(id));
    return { object: 'list', data: [...agents.map(agentEntry), ...upstream] };
  }

  /** One entry by agent id or upstream model id; NOT_FOUND (`model_not_found`) otherwise. */
  async get(principal: Principal, id: string): Promise<ModelEntry> {
    // Agents first, as chat requests resolve `model`: an agent's id shadows nothing upstream.
    const agent = await this.store.getAgent(principal.userId, id);
    if (agent) return agentEntry(agent);
    if (this.provider.models.includes(id)) return this.upstreamEntry(id);
    throw new MemgateError('NOT_FOUND', `The model '${id}' does not exist.`, {
      param: 'model',
      detailCode: 'model_not_found',
    });
  }

  /** An upstream model with what the providers file says of it; a `default` model's capabilities are unknown (null). */
  private upstreamEntry(id: string): ModelEntry {
    const known = this.provider.capabilities?.(id);
    return {
      id,
      object: 'model',
      created: 0,
      owned_by: UPSTREAM_OWNER,
      name: id,
      provider: known?.provider ?? DEFAULT_PROVIDER_NAME,
      context_window: known?.contextWindow ?? null,
      supports_tools: known?.supportsTools ?? null,
      supports_vision: known?.supportsVision ?? null,
      input_price: known?.inputPrice ?? null,
      output_price: known?.outputPrice ?? null,
    };
  }
}

function agentEntry(agent: Agent): ModelEntry {
  const created = Math.floor(Date.parse(agent.createdAt) / 1000);
  return { id: agent.id, object: 'model', created, owned_by: AGENT_OWNER, name: agent.name };
}
