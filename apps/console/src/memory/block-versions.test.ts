import { describe, expect, it } from 'vitest';
import { blockKey, isNewer, type LiveBlock, mergeBlocks, withEvent } from './block-versions.ts';

const human = (version: number, value = `v${version}`): LiveBlock => ({
  id: 'b1',
  label: 'human',
  value,
  limit: 5000,
  readOnly: false,
  version,
});
const persona: LiveBlock = { id: 'b2', label: 'persona', value: 'A helper.', limit: 5000, readOnly: true, version: 3 };

describe('block versions', () => {
  it('keys blocks by id, or by label when the server gave no id', () => {
    expect(blockKey(human(1))).toBe('id:b1');
    expect(blockKey({ id: null, label: 'human' })).toBe('label:human');
  });

  it('takes only a later version as newer', () => {
    expect(isNewer(human(2), human(1))).toBe(true);
    expect(isNewer(human(1), human(1))).toBe(false);
    expect(isNewer(human(1), human(2))).toBe(false);
    expect(isNewer(human(1), undefined)).toBe(true);
    expect(isNewer({ ...human(1), version: null }, human(4))).toBe(true);
  });

  it('applies an event newer than the fetched block and ignores a late or repeated one', () => {
    const fetched = [persona, human(2)];
    const live = withEvent(new Map(), human(3, 'Name: Ada'), fetched);
    expect(mergeBlocks(fetched, live).map((block) => block.value)).toEqual(['A helper.', 'Name: Ada']);
    expect(withEvent(live, human(3, 'again'), fetched)).toBe(live);
    expect(withEvent(live, human(2, 'late'), fetched)).toBe(live);
    expect(withEvent(new Map(), human(1, 'old'), fetched).size).toBe(0);
  });

  it('lets a refetch newer than the events win', () => {
    const live = withEvent(new Map(), human(3, 'from event'), [human(2)]);
    expect(mergeBlocks([human(5, 'refetched')], live)[0]?.value).toBe('refetched');
  });
});
