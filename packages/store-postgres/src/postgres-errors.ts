import { type ConstraintMessages, MemgateError, storableText } from '@memgate/core';
import { DatabaseError } from 'pg';

// SQLSTATEs of PostgreSQL's integrity constraint violations.
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Runs a write and turns constraint violations into MemgateErrors (CONFLICT for a duplicate
 * key, NOT_FOUND for a missing parent row), exactly as the SQLite store does, so callers above
 * the Store never see driver errors. Anything else is rethrown unchanged.
 */
export async function translateConstraints<T>(messages: ConstraintMessages, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw toMemgateError(error, messages) ?? error;
  }
}

function toMemgateError(error: unknown, messages: ConstraintMessages): MemgateError | null {
  if (!(error instanceof DatabaseError)) return null;
  switch (error.code) {
    case UNIQUE_VIOLATION:
      return new MemgateError('CONFLICT', messages.conflict, { cause: error });
    case FOREIGN_KEY_VIOLATION:
      return messages.missing === undefined ? null : new MemgateError('NOT_FOUND', messages.missing, { cause: error });
    default:
      return null;
  }
}

/**
 * PostgreSQL text cannot hold U+0000: it becomes U+FFFD, as on every store (the core's
 * `storableText`), rather than failing the whole write with a 500.
 */
export const storable = storableText;
