import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_BLOCK_LIMIT } from '../agent/system-prompt.ts';
import { requireWriteScope } from '../auth/key-scope.ts';
import type { Agent, Block, BlockActor, BlockHistoryEntry, MemoryBlock, Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError, parseOrThrow } from '../errors/validation.ts';
import type { EventBus } from '../events/event-bus.ts';
import { metadataSchema } from '../schemas/chat-request.ts';
import { NUL_MESSAGE, noNul, storedText } from '../schemas/json-limits.ts';
import type { BlockPatch, Store } from '../store/store.ts';

/** Largest block limit, in characters: a block is always in the prompt, so it must fit a window. */
export const MAX_BLOCK_LIMIT = 1_000_000;

/** Block labels: 1–64 characters of `[a-z0-9_-]`, unique among an agent's blocks. */
export const blockLabelSchema = z
  .string()
  .regex(/^[a-z0-9_-]{1,64}$/, 'Block labels are 1 to 64 characters of a-z, 0-9, _ and -.');

const descriptionSchema = z.string().max(10_000).refine(noNul, NUL_MESSAGE);
const limitSchema = z.number().int().min(1).max(MAX_BLOCK_LIMIT);

const blockFields = z.strictObject({
  label: blockLabelSchema,
  value: storedText().default(''),
  limit: limitSchema.default(DEFAULT_BLOCK_LIMIT),
  description: descriptionSchema.nullish(),
  read_only: z.boolean().optional(),
});

/** A block as `POST /v1/agents` takes it in `memory_blocks`. */
export const blockInputSchema = blockFields.superRefine(valueWithinLimit);

/** A block as `POST /v1/blocks` takes it: the same, with metadata. */
export const blockCreateSchema = blockFields
  .extend({ metadata: metadataSchema.nullish() })
  .superRefine(valueWithinLimit);

export const blockUpdateSchema = z.strictObject({
  label: blockLabelSchema.optional(),
  value: storedText().optional(),
  limit: limitSchema.optional(),
  description: descriptionSchema.nullish(),
  read_only: z.boolean().optional(),
  metadata: metadataSchema.nullish(),
  /** The version the edit was made from: a newer one is a 409 instead of a lost edit. */
  version: z.number().int().min(1).optional(),
});

export const blockListSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.string().min(1).optional(),
  label: blockLabelSchema.optional(),
});

export const blockHistoryPageSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional(),
});

export const blockDeleteSchema = z.strictObject({
  force: z.enum(['true', 'false']).optional(),
});

function valueWithinLimit(block: { value: string; limit: number }, context: z.RefinementCtx): void {
  if (block.value.length > block.limit) {
    context.addIssue({
      code: 'custom',
      path: ['value'],
      message: `The value has ${block.value.length} characters, over the block's limit of ${block.limit}.`,
    });
  }
}

/** A new block id (`block-…`). */
export function newBlockId(): string {
  return `block-${randomUUID()}`;
}

/** A block of an agent's memory from its input shape. */
export function memoryBlockOf(input: z.output<typeof blockInputSchema>): MemoryBlock & { id: string } {
  return {
    id: newBlockId(),
    label: input.label,
    value: input.value,
    limit: input.limit,
    description: input.description ?? null,
    readOnly: input.read_only ?? false,
  };
}

export function blockNotFound(blockId: string): MemgateError {
  return new MemgateError('NOT_FOUND', `Block ${blockId} not found.`, { detailCode: 'block_not_found' });
}

/**
 * Tells every agent a block is attached to that it changed (`block.updated`, on every protocol
 * and, through a networked bus, every instance).
 */
export async function publishBlockUpdate(
  events: EventBus,
  block: MemoryBlock | Block,
  agentIds: readonly string[],
  actor: BlockActor,
  byAgentId: string | null,
): Promise<void> {
  if (block.id === undefined || block.version === undefined) return;
  const fields = {
    id: block.id,
    label: block.label,
    value: block.value,
    limit: block.limit,
    description: block.description ?? null,
    readOnly: block.readOnly ?? false,
    version: block.version,
  };
  for (const agentId of agentIds) {
    await events.publish({ type: 'block.updated', agentId, block: { ...fields }, actor, byAgentId });
  }
}

/**
 * The agents an agent's block is attached to: just this one, unless the block is shared (then one
 * store read for them).
 */
export async function agentsOfBlock(
  store: Store,
  userId: string,
  agentId: string,
  block: MemoryBlock,
): Promise<readonly string[]> {
  if ((block.agentCount ?? 1) <= 1 || block.id === undefined) return [agentId];
  return (await store.getBlock(userId, block.id))?.agentIds ?? [agentId];
}

/**
 * Memory blocks as their own entities (`/v1/blocks`): a user's blocks, attachable to several of
 * their agents, each write recorded in the block's history. The same validation for every protocol.
 */
export class BlockService {
  constructor(
    private readonly store: Store,
    private readonly events: EventBus,
  ) {}

  async create(principal: Principal, body: unknown): Promise<Block> {
    requireWriteScope(principal);
    const input = parseOrThrow(blockCreateSchema, body ?? {});
    const at = new Date().toISOString();
    return this.store.createBlock({
      id: newBlockId(),
      userId: principal.userId,
      label: input.label,
      value: input.value,
      limit: input.limit,
      description: input.description ?? null,
      readOnly: input.read_only ?? false,
      metadata: input.metadata ?? null,
      createdAt: at,
    });
  }

  async list(principal: Principal, query: unknown): Promise<Block[]> {
    const page = parseOrThrow(blockListSchema, query ?? {}, 'query');
    return this.store.listBlocks(principal.userId, {
      limit: page.limit,
      ...(page.before && { before: page.before }),
      ...(page.label && { label: page.label }),
    });
  }

  async get(principal: Principal, blockId: string): Promise<Block> {
    const block = await this.store.getBlock(principal.userId, blockId);
    if (!block) throw blockNotFound(blockId);
    return block;
  }

  /**
   * Changes a block (a value write is recorded as the user's, and every attached agent sees it on
   * its next step). With `version`, an edit made from an older version is a 409.
   */
  async update(principal: Principal, blockId: string, body: unknown): Promise<Block> {
    requireWriteScope(principal);
    const input = parseOrThrow(blockUpdateSchema, body ?? {});
    const current = await this.get(principal, blockId);
    const value = input.value ?? current.value;
    const limit = input.limit ?? current.limit;
    if (value.length > limit) {
      throw fieldError(
        ['body', input.value === undefined ? 'limit' : 'value'],
        `The value has ${value.length} characters, over the block's limit of ${limit}.`,
      );
    }
    const patch: BlockPatch = {};
    if (input.label !== undefined) patch.label = input.label;
    if (input.value !== undefined) patch.value = input.value;
    if (input.limit !== undefined) patch.limit = input.limit;
    if (input.description !== undefined) patch.description = input.description;
    if (input.read_only !== undefined) patch.readOnly = input.read_only;
    if (input.metadata !== undefined) patch.metadata = input.metadata;
    const updated = await this.store.updateBlock(principal.userId, blockId, patch, {
      actor: 'user',
      ...(input.version !== undefined && { expectedVersion: input.version }),
    });
    if (!updated) throw blockNotFound(blockId);
    if (shownToAgents(current, updated)) {
      await publishBlockUpdate(this.events, updated, updated.agentIds, 'user', null);
    }
    return updated;
  }

  /** Deletes a block; one still attached to agents is a 409 unless `force=true` detaches it first. */
  async delete(principal: Principal, blockId: string, query: unknown): Promise<void> {
    requireWriteScope(principal);
    const { force } = parseOrThrow(blockDeleteSchema, query ?? {}, 'query');
    const outcome = await this.store.deleteBlock(principal.userId, blockId, force === 'true');
    if (outcome === 'missing') throw blockNotFound(blockId);
    if (outcome === 'attached') {
      throw new MemgateError(
        'CONFLICT',
        `Block ${blockId} is attached to agents: detach it first, or delete it with ?force=true.`,
        { detailCode: 'block_attached' },
      );
    }
  }

  /** Attaches one of the user's blocks to one of their agents (again: no change). */
  async attach(principal: Principal, agentId: string, blockId: string): Promise<Agent> {
    requireWriteScope(principal);
    return this.store.attachBlock(principal.userId, agentId, blockId);
  }

  async detach(principal: Principal, agentId: string, blockId: string): Promise<void> {
    requireWriteScope(principal);
    if (!(await this.store.detachBlock(principal.userId, agentId, blockId))) {
      throw new MemgateError('NOT_FOUND', `Block ${blockId} is not attached to agent ${agentId}.`, {
        detailCode: 'block_not_attached',
      });
    }
  }

  async history(principal: Principal, blockId: string, query: unknown): Promise<BlockHistoryEntry[]> {
    const page = parseOrThrow(blockHistoryPageSchema, query ?? {}, 'query');
    const entries = await this.store.blockHistory(principal.userId, blockId, {
      limit: page.limit,
      ...(page.before !== undefined && { before: page.before }),
    });
    if (!entries) throw blockNotFound(blockId);
    return entries;
  }
}

/** Whether a change reaches what agents see of the block (its metadata does not). */
function shownToAgents(before: Block, after: Block): boolean {
  return (
    before.version !== after.version ||
    before.label !== after.label ||
    before.limit !== after.limit ||
    before.description !== after.description ||
    before.readOnly !== after.readOnly
  );
}
