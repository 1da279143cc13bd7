import { describe, expect, it } from 'vitest';
import { memoryWrites } from './write-step.ts';

describe('memoryWrites: a step’s memory updates as one write per label', () => {
  it('keeps the last value and counts one version per update', () => {
    expect(
      memoryWrites([
        { label: 'human', value: 'a' },
        { label: 'notes', value: 'n' },
        { label: 'human', value: 'b' },
      ]),
    ).toEqual([
      { label: 'human', value: 'b', expected: null, writes: 2 },
      { label: 'notes', value: 'n', expected: null, writes: 1 },
    ]);
  });

  it('asks for the version the first update needs, as writes one at a time would', () => {
    // Made from 3, then from the 4 the first one wrote.
    expect(
      memoryWrites([
        { label: 'human', value: 'a', version: 3 },
        { label: 'human', value: 'b', version: 4 },
      ]),
    ).toEqual([{ label: 'human', value: 'b', expected: 3, writes: 2 }]);
    // An unconditional update, then one made from the version it wrote: the block must be at 6 first.
    expect(
      memoryWrites([
        { label: 'human', value: 'a' },
        { label: 'human', value: 'b', version: 7 },
      ]),
    ).toEqual([{ label: 'human', value: 'b', expected: 6, writes: 2 }]);
  });

  it('asks for a version no block has when the updates of a label disagree', () => {
    expect(
      memoryWrites([
        { label: 'human', value: 'a', version: 3 },
        { label: 'human', value: 'b', version: 3 },
      ]),
    ).toEqual([{ label: 'human', value: 'b', expected: -1, writes: 2 }]);
  });

  it('stores NUL as U+FFFD', () => {
    expect(memoryWrites([{ label: 'human', value: 'a\u0000b' }])[0]?.value).toBe('a\uFFFDb');
  });
});
