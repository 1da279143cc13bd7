import { type ConstraintMessages, MemgateError } from '@memgate/core';
import Database from 'better-sqlite3';

/**
 * Runs a write and turns constraint violations into MemgateErrors (CONFLICT for a duplicate
 * key, NOT_FOUND for a missing parent row), so callers above the Store never see driver errors.
 * Anything else is rethrown unchanged.
 */
export function translateConstraints<T>(messages: ConstraintMessages, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw toMemgateError(error, messages) ?? error;
  }
}

function toMemgateError(error: unknown, messages: ConstraintMessages): MemgateError | null {
  if (!(error instanceof Database.SqliteError)) return null;
  switch (error.code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return new MemgateError('CONFLICT', messages.conflict, { cause: error });
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return messages.missing === undefined ? null : new MemgateError('NOT_FOUND', messages.missing, { cause: error });
    default:
      return null;
  }
}
