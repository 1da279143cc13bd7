import type { CombinedError } from '@urql/core';

/**
 * Whether a save failed because the block changed since the edit started (the core's CONFLICT
 * with detail `memory_conflict`, HTTP 409): the editor then offers to re-save or discard instead
 * of only showing the error.
 */
export function isVersionConflict(error: CombinedError | undefined | null): boolean {
  const extensions = error?.graphQLErrors[0]?.extensions;
  if (extensions?.['status'] !== 409) return false;
  const detail = extensions['detail'];
  return detail === undefined || detail === 'memory_conflict';
}
