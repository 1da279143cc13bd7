/** What the memory panel needs of a core block (the `BlockFields` fragment). */
export interface LiveBlock {
  id?: string | null;
  label: string;
  value: string;
  limit: number;
  description?: string | null;
  readOnly: boolean;
  version?: number | null;
}

/** A block's identity across fetches and events: its id, or its label for a block without one. */
export function blockKey(block: Pick<LiveBlock, 'id' | 'label'>): string {
  return block.id ? `id:${block.id}` : `label:${block.label}`;
}

/**
 * Whether `candidate` is a later write than `current`. Versions grow by one per write; a block
 * without a version (an older server) is taken as newer, since an event always follows a write.
 */
export function isNewer(candidate: LiveBlock, current: LiveBlock | undefined): boolean {
  if (!current) return true;
  if (candidate.version == null || current.version == null) return true;
  return candidate.version > current.version;
}

/**
 * Records a `block.updated` event: kept only when it is newer than what is already known, so an
 * event delivered late (or twice) never rolls a block back.
 */
export function withEvent(
  live: ReadonlyMap<string, LiveBlock>,
  block: LiveBlock,
  fetched: readonly LiveBlock[],
): ReadonlyMap<string, LiveBlock> {
  const key = blockKey(block);
  const known = live.get(key) ?? fetched.find((entry) => blockKey(entry) === key);
  if (!isNewer(block, known)) return live;
  return new Map(live).set(key, block);
}

/**
 * The blocks to show: the fetched list, each replaced by the live copy from events when that one
 * is newer (a refetch that is newer than the events wins the same way).
 */
export function mergeBlocks(fetched: readonly LiveBlock[], live: ReadonlyMap<string, LiveBlock>): LiveBlock[] {
  return fetched.map((block) => {
    const event = live.get(blockKey(block));
    return event && isNewer(event, block) ? event : block;
  });
}
