import type { MemoryBlock } from '../domain/types.ts';
import { fieldError } from '../errors/validation.ts';
import { newBlockId } from '../services/block-service.ts';
import type { AgentFileDocument } from './agent-file-schema.ts';
import type { ImportNotes } from './import-notes.ts';

/** A block label memgate accepts: 1–64 characters of `[a-z0-9_-]`. */
export const BLOCK_LABEL_PATTERN = /^[a-z0-9_-]{1,64}$/;

/** The limit of a Letta block that gives none (Letta's `CORE_MEMORY_BLOCK_CHAR_LIMIT`). */
const LETTA_DEFAULT_LIMIT = 20_000;

type FileBlockInput = {
  label: string;
  value: string;
  limit?: number | null;
  description?: string | null;
  read_only?: boolean | null;
  metadata?: Record<string, unknown> | null;
};

/** The blocks of an import, and which agents each of the file's blocks goes to. */
export interface PlannedBlocks {
  /** Blocks several imported agents reference: created once, attached to each. */
  shared: (MemoryBlock & { id: string; userId: string })[];
  /** The new block for each of the file's block ids (shared or not). */
  byFileId: Map<string, MemoryBlock & { id: string }>;
  /** File block ids referenced by more than one agent. */
  sharedFileIds: Set<string>;
}

/**
 * Makes a memgate block of each block the file's agents reference: a new id, a label memgate
 * accepts (lower-cased, other characters as `_`, with a warning when it changes), and a limit that
 * fits the value (raised, with a warning). A block no agent references is reported, not imported.
 */
export function planBlocks(document: AgentFileDocument, userId: string, notes: ImportNotes): PlannedBlocks {
  const references = new Map<string, number>();
  for (const agent of document.agents) {
    for (const id of new Set(agent.block_ids ?? [])) references.set(id, (references.get(id) ?? 0) + 1);
  }
  const planned: PlannedBlocks = { shared: [], byFileId: new Map(), sharedFileIds: new Set() };
  for (const block of document.blocks ?? []) {
    const count = references.get(block.id) ?? 0;
    if (count === 0) {
      notes.warn(`Block ${block.id} ("${block.label}") is attached to no agent in the file; it was not imported.`);
      continue;
    }
    const memoryBlock = toMemoryBlock(block, `Block ${block.id}`, notes);
    planned.byFileId.set(block.id, memoryBlock);
    if (count > 1) {
      planned.sharedFileIds.add(block.id);
      planned.shared.push({ ...memoryBlock, userId });
    }
  }
  return planned;
}

/** One block as memgate keeps it, from a file's block (or an agent's inline `memory_blocks` entry). */
export function toMemoryBlock(block: FileBlockInput, name: string, notes: ImportNotes): MemoryBlock & { id: string } {
  const value = notes.text(block.value);
  const label = blockLabel(block.label);
  if (label !== block.label) notes.warn(`${name}: label "${block.label}" became "${label}" ([a-z0-9_-], 1–64).`);
  let limit = block.limit ?? Math.max(LETTA_DEFAULT_LIMIT, value.length);
  if (limit < value.length) {
    notes.warn(`${name} ("${label}"): limit ${limit} is below its ${value.length} characters; raised to fit.`);
    limit = value.length;
  }
  if (block.metadata && Object.keys(block.metadata).length > 0) {
    notes.warn(`${name} ("${label}"): its metadata was not imported (memgate's agent blocks have none).`);
  }
  return {
    id: newBlockId(),
    label,
    value,
    limit: Math.max(limit, 1),
    description: block.description ? notes.text(block.description) : null,
    readOnly: block.read_only ?? false,
  };
}

/** A Letta label as memgate accepts it: lower case, other characters as `_`, at most 64. */
export function blockLabel(label: string): string {
  const cleaned = label
    .toLowerCase()
    .replaceAll(/[^a-z0-9_-]/g, '_')
    .slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'block';
}

/**
 * Gives each of an agent's own blocks a label no other of its blocks has (`_2`, `_3`…), so that a
 * file whose labels collide once lower-cased still imports. Shared blocks keep theirs: another
 * agent sees the same label. Two shared blocks with one label cannot both attach: 422.
 */
export function uniqueLabels(
  own: (MemoryBlock & { id: string })[],
  shared: MemoryBlock[],
  agent: { index: number; id: string },
  notes: ImportNotes,
): void {
  const taken = new Set<string>();
  for (const block of shared) {
    if (taken.has(block.label)) {
      throw fieldError(
        ['body', 'agents', agent.index, 'block_ids'],
        `Agent ${agent.id} has two blocks labelled "${block.label}".`,
        'label_conflict',
      );
    }
    taken.add(block.label);
  }
  for (const block of own) {
    if (!taken.has(block.label)) {
      taken.add(block.label);
      continue;
    }
    let suffix = 2;
    while (taken.has(withSuffix(block.label, suffix))) suffix++;
    const label = withSuffix(block.label, suffix);
    notes.warn(`Agent ${agent.id}: a second block labelled "${block.label}" became "${label}".`);
    block.label = label;
    taken.add(label);
  }
}

function withSuffix(label: string, suffix: number): string {
  const tail = `_${suffix}`;
  return label.slice(0, 64 - tail.length) + tail;
}
