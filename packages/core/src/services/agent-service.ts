import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_BLOCK_LIMIT, DEFAULT_HUMAN, DEFAULT_PERSONA, DEFAULT_SYSTEM_PROMPT } from '../agent/system-prompt.ts';
import { requireWriteScope } from '../auth/key-scope.ts';
import {
  type Agent,
  type AgentSettings,
  DEFAULT_AGENT_SETTINGS,
  MAX_STEPS_PER_TURN,
  type MemoryBlock,
  type Principal,
  type StoredMessage,
} from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError, parseOrThrow } from '../errors/validation.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { LlmProvider } from '../llm/provider.ts';
import { metadataSchema } from '../schemas/chat-request.ts';
import { NUL_MESSAGE, noNul, storedText } from '../schemas/json-limits.ts';
import type { AgentPatch, Store } from '../store/store.ts';
import { agentsOfBlock, blockInputSchema, memoryBlockOf, newBlockId, publishBlockUpdate } from './block-service.ts';
import { contextWindowFor } from './context-windows.ts';

const tagsSchema = z
  .array(z.string().min(1).max(64).refine(noNul, NUL_MESSAGE))
  .max(64)
  .refine((tags) => new Set(tags).size === tags.length, 'Tags must be unique.');

const modelName = z.string().min(1).max(200).refine(noNul, NUL_MESSAGE);

/** The agent settings of create and PATCH (null clears one on PATCH). */
const settingsFields = {
  summary_model: modelName.nullish(),
  embedding_model: modelName.nullish(),
  fallback_models: z
    .array(modelName)
    .max(8)
    .refine((models) => new Set(models).size === models.length, 'Each fallback model may be named once.')
    .optional(),
  max_steps_per_turn: z.number().int().min(1).max(MAX_STEPS_PER_TURN).nullish(),
  max_tokens_per_turn: z.number().int().min(1).max(100_000_000).nullish(),
};

export const createAgentSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).refine(noNul, NUL_MESSAGE).optional(),
    model: z.string().min(1).max(200).refine(noNul, NUL_MESSAGE).optional(),
    system: z.string().min(1).max(100_000).refine(noNul, NUL_MESSAGE).optional(),
    persona: z.string().max(DEFAULT_BLOCK_LIMIT).refine(noNul, NUL_MESSAGE).optional(),
    human: z.string().max(DEFAULT_BLOCK_LIMIT).refine(noNul, NUL_MESSAGE).optional(),
    context_window: z.number().int().min(1024).max(10_000_000).optional(),
    /** The agent's own blocks; default: persona and human. */
    memory_blocks: z.array(blockInputSchema).max(64).optional(),
    /** Existing blocks of the user's, attached after `memory_blocks` (shared blocks). */
    block_ids: z.array(z.string().min(1)).max(64).optional(),
    tags: tagsSchema.optional(),
    metadata: metadataSchema.nullish(),
    ...settingsFields,
  })
  .superRefine((input, context) => {
    if (input.memory_blocks && (input.persona !== undefined || input.human !== undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['memory_blocks'],
        message: 'Give either memory_blocks or persona/human: persona and human are shorthands for the default blocks.',
      });
    }
    const labels = (input.memory_blocks ?? []).map((block) => block.label);
    const repeated = labels.find((label, index) => labels.indexOf(label) !== index);
    if (repeated) {
      context.addIssue({
        code: 'custom',
        path: ['memory_blocks'],
        message: `The label "${repeated}" is given twice: labels are unique per agent.`,
      });
    }
  });
export type CreateAgentInput = z.input<typeof createAgentSchema>;

export const messagePageSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.string().min(1).optional(),
});

export const memoryUpdateSchema = z.strictObject({ value: storedText() });

/** `PATCH /v1/agents/{id}`: any of these; absent fields stay. */
export const updateAgentSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).refine(noNul, NUL_MESSAGE).optional(),
  model: z.string().min(1).max(200).refine(noNul, NUL_MESSAGE).optional(),
  system: z.string().min(1).max(100_000).refine(noNul, NUL_MESSAGE).optional(),
  context_window: z.number().int().min(1024).max(10_000_000).optional(),
  tags: tagsSchema.optional(),
  metadata: metadataSchema.nullish(),
  ...settingsFields,
});

type SettingsInput = { [K in keyof typeof settingsFields]?: z.output<(typeof settingsFields)[K]> };

/** The settings `input` makes of `current`: a field given replaces it, null resets it. */
function settingsFrom(input: SettingsInput, current: AgentSettings): AgentSettings {
  const pick = <T>(given: T | null | undefined, now: T | null): T | null => (given === undefined ? now : given);
  return {
    summaryModel: pick(input.summary_model, current.summaryModel),
    embeddingModel: pick(input.embedding_model, current.embeddingModel),
    fallbackModels: input.fallback_models ?? current.fallbackModels,
    maxStepsPerTurn: pick(input.max_steps_per_turn, current.maxStepsPerTurn),
    maxTokensPerTurn: pick(input.max_tokens_per_turn, current.maxTokensPerTurn),
  };
}

/** True when `input` names any setting. */
function changesSettings(input: SettingsInput): boolean {
  return Object.keys(settingsFields).some((field) => input[field as keyof SettingsInput] !== undefined);
}

/** Agent CRUD, history and memory: the same validation for every protocol. */
export class AgentService {
  constructor(
    private readonly store: Store,
    private readonly defaultModel: string,
    private readonly events?: EventBus,
    /** Checks `model` names a model it serves (several providers), and knows its context window. */
    private readonly provider?: LlmProvider,
  ) {}

  /** The 422 for a `provider/model` no provider serves; the offline model answers to any name. */
  private checkModel(model: string, field = 'model'): void {
    if (this.provider?.offline) return;
    this.provider?.checkModel?.(model, ['body', field]);
  }

  /** The 422 for any model role naming a model no provider serves. */
  private checkSettingsModels(input: SettingsInput): void {
    if (input.summary_model) this.checkModel(input.summary_model, 'summary_model');
    if (input.embedding_model) this.checkModel(input.embedding_model, 'embedding_model');
    input.fallback_models?.forEach((model, index) => {
      if (this.provider?.offline) return;
      this.provider?.checkModel?.(model, ['body', 'fallback_models', index]);
    });
  }

  async create(principal: Principal, body: unknown): Promise<Agent> {
    requireWriteScope(principal);
    const input = parseOrThrow(createAgentSchema, body ?? {});
    const id = `agent-${randomUUID()}`;
    const model = input.model ?? this.defaultModel;
    if (input.model !== undefined) this.checkModel(model);
    this.checkSettingsModels(input);
    const memory = input.memory_blocks
      ? input.memory_blocks.map(memoryBlockOf)
      : [
          { id: newBlockId(), label: 'persona', value: input.persona ?? DEFAULT_PERSONA, limit: DEFAULT_BLOCK_LIMIT },
          { id: newBlockId(), label: 'human', value: input.human ?? DEFAULT_HUMAN, limit: DEFAULT_BLOCK_LIMIT },
        ];
    return this.store.createAgent({
      id,
      userId: principal.userId,
      name: input.name ?? `agent-${id.slice(6, 14)}`,
      model,
      system: input.system ?? DEFAULT_SYSTEM_PROMPT,
      contextWindow:
        input.context_window ?? this.provider?.capabilities?.(model)?.contextWindow ?? contextWindowFor(model),
      createdAt: new Date().toISOString(),
      memory,
      ...(input.block_ids?.length && { blockIds: input.block_ids }),
      tags: input.tags ?? [],
      metadata: input.metadata ?? null,
      settings: settingsFrom(input, DEFAULT_AGENT_SETTINGS),
    });
  }

  list(principal: Principal): Promise<Agent[]> {
    return this.store.listAgents(principal.userId);
  }

  /** The caller's agent; another user's agent is as absent as a missing one (404). */
  async get(principal: Principal, agentId: string): Promise<Agent> {
    const agent = await this.store.getAgent(principal.userId, agentId);
    if (!agent) throw new MemgateError('NOT_FOUND', `Agent ${agentId} not found.`, { detailCode: 'agent_not_found' });
    return agent;
  }

  async delete(principal: Principal, agentId: string): Promise<void> {
    requireWriteScope(principal);
    const deleted = await this.store.deleteAgent(principal.userId, agentId);
    if (!deleted) throw new MemgateError('NOT_FOUND', `Agent ${agentId} not found.`, { detailCode: 'agent_not_found' });
  }

  async messages(principal: Principal, agentId: string, query: unknown): Promise<StoredMessage[]> {
    const page = parseOrThrow(messagePageSchema, query ?? {}, 'query');
    await this.get(principal, agentId);
    // The agent's own history route shows its default conversation (whose id is the agent's).
    const conversationId = agentId;
    return this.store.listMessages(
      agentId,
      page.before ? { limit: page.limit, before: page.before, conversationId } : { limit: page.limit, conversationId },
    );
  }

  async memory(principal: Principal, agentId: string): Promise<MemoryBlock[]> {
    return (await this.get(principal, agentId)).memory;
  }

  async updateMemory(principal: Principal, agentId: string, label: string, body: unknown): Promise<MemoryBlock> {
    requireWriteScope(principal);
    const { value } = parseOrThrow(memoryUpdateSchema, body);
    const agent = await this.get(principal, agentId);
    const block = agent.memory.find((candidate) => candidate.label === label);
    if (!block) throw new MemgateError('NOT_FOUND', `Agent ${agentId} has no memory block "${label}".`);
    if (value.length > block.limit) {
      throw fieldError(
        ['body', 'value'],
        `The value has ${value.length} characters, over the block's limit of ${block.limit}.`,
      );
    }
    const updated = await this.store.setMemoryBlock(agentId, label, value);
    if (!updated) throw new MemgateError('NOT_FOUND', `Agent ${agentId} has no memory block "${label}".`);
    if (this.events) {
      // A shared block changed for every agent it is attached to.
      const agentIds = await agentsOfBlock(this.store, principal.userId, agentId, updated);
      await publishBlockUpdate(this.events, updated, agentIds, 'user', null);
    }
    return updated;
  }

  /**
   * Fits the agent's conversations to a smaller context window (the chat dispatcher's `compact`),
   * set once the dispatcher exists.
   */
  compactor?: (principal: Principal, agentId: string, contextWindow: number) => Promise<number>;

  /**
   * Changes an agent's settings. A smaller context window first summarises, at once, every
   * conversation whose window no longer fits it; an upstream failure there changes nothing (502).
   */
  async update(principal: Principal, agentId: string, body: unknown): Promise<Agent> {
    requireWriteScope(principal);
    const input = parseOrThrow(updateAgentSchema, body ?? {});
    if (input.model !== undefined) this.checkModel(input.model);
    this.checkSettingsModels(input);
    const current = await this.get(principal, agentId);
    if (input.context_window !== undefined && input.context_window < current.contextWindow) {
      await this.compactor?.(principal, agentId, input.context_window);
    }
    const patch: AgentPatch = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.model !== undefined) patch.model = input.model;
    if (input.system !== undefined) patch.system = input.system;
    if (input.context_window !== undefined) patch.contextWindow = input.context_window;
    if (input.tags !== undefined) patch.tags = input.tags;
    if (input.metadata !== undefined) patch.metadata = input.metadata;
    if (changesSettings(input)) patch.settings = settingsFrom(input, current.settings);
    const updated = await this.store.updateAgent(principal.userId, agentId, patch);
    if (!updated) throw new MemgateError('NOT_FOUND', `Agent ${agentId} not found.`, { detailCode: 'agent_not_found' });
    return updated;
  }
}
