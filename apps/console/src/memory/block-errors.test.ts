import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isVersionConflict } from './block-errors.ts';

const failed = (extensions: Record<string, unknown>) =>
  new CombinedError({ graphQLErrors: [new GraphQLError('refused', { extensions })] });

describe('isVersionConflict', () => {
  it('recognises a stale version (409 memory_conflict)', () => {
    expect(isVersionConflict(failed({ code: 'BAD_USER_INPUT', status: 409, detail: 'memory_conflict' }))).toBe(true);
  });

  it('leaves other errors alone: over the limit (422), another 409, a network failure', () => {
    expect(isVersionConflict(failed({ code: 'BAD_USER_INPUT', status: 422, param: 'value' }))).toBe(false);
    expect(isVersionConflict(failed({ code: 'BAD_USER_INPUT', status: 409, detail: 'block_attached' }))).toBe(false);
    expect(isVersionConflict(new CombinedError({ networkError: new Error('offline') }))).toBe(false);
    expect(isVersionConflict(undefined)).toBe(false);
  });
});
