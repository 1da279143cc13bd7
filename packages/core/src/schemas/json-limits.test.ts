import { describe, expect, it } from 'vitest';
import { MemgateError } from '../errors/memgate-error.ts';
import { assertJsonDepth, parseOrThrow } from '../errors/validation.ts';
import { boundedJsonObject, findTooDeep, MAX_JSON_DEPTH, storedText } from './json-limits.ts';

/** `depth` nested arrays, as JSON.parse builds them from text (no recursion on our side). */
const arrays = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const objects = (depth: number): unknown => JSON.parse(`${'{"k":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`);

describe('findTooDeep', () => {
  it('accepts 64 levels and refuses 65, naming the first container too deep', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(findTooDeep(arrays(64))).toBeNull();
    expect(findTooDeep(objects(64))).toBeNull();
    expect(findTooDeep(arrays(65))?.path).toEqual(Array<number>(64).fill(0));
    expect(findTooDeep(objects(65))?.path).toEqual(Array<string>(64).fill('k'));
  });

  it('counts scalars as no level and finds the deep branch among shallow ones', () => {
    expect(findTooDeep('text')).toBeNull();
    expect(findTooDeep(null)).toBeNull();
    expect(findTooDeep({ a: 1, b: [2, 3], c: { d: arrays(70) } })?.path).toEqual([
      'c',
      'd',
      ...Array<number>(62).fill(0),
    ]);
    expect(findTooDeep({ a: arrays(3) }, 3)?.path).toEqual(['a', 0, 0]);
  });

  it('walks a million levels without overflowing the stack', () => {
    const problem = findTooDeep(arrays(1_000_000));
    expect(problem?.path).toHaveLength(64);
  });
});

describe('depth and NUL at the schema edge', () => {
  it('assertJsonDepth throws the 422 at the field under its root', () => {
    let error: unknown;
    try {
      assertJsonDepth({ tools: [arrays(80)] }, 'body');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(MemgateError);
    const refused = error as MemgateError;
    expect(refused.status).toBe(422);
    expect(refused.detailCode).toBe('json_too_deep');
    expect(refused.validation?.[0]?.loc).toEqual(['body', 'tools', 0, ...Array<number>(62).fill(0)]);
    expect(refused.param).toBe(['tools', 0, ...Array<number>(62).fill(0)].join('.'));
  });

  it('parseOrThrow checks depth before zod walks the value', () => {
    expect(() => parseOrThrow(boundedJsonObject(), { deep: arrays(200_000) })).toThrow(/deeper than 64/);
  });

  it('boundedJsonObject refuses a schema deeper than the limit relative to itself', () => {
    expect(boundedJsonObject().safeParse({ a: arrays(63) }).success).toBe(true);
    const result = boundedJsonObject().safeParse({ a: arrays(64) });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['a', ...Array<number>(63).fill(0)]);
  });

  it('storedText refuses NUL and accepts the replacement character', () => {
    expect(storedText().safeParse('a\u0000b').success).toBe(false);
    expect(storedText().safeParse('a\uFFFDb').success).toBe(true);
  });
});
