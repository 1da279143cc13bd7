import { type ConstraintMessages, MemgateError } from '@memgate/core/store-kit';

/** SQLite's extended result codes for the constraint violations the store translates. */
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

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

/** node:sqlite's errors carry SQLite's extended result code as `errcode`. */
function sqliteErrorCode(error: unknown): number | null {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== 'ERR_SQLITE_ERROR') return null;
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === 'number' ? code : null;
}

function toMemgateError(error: unknown, messages: ConstraintMessages): MemgateError | null {
  switch (sqliteErrorCode(error)) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return new MemgateError('CONFLICT', messages.conflict, { cause: error });
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return messages.missing === undefined ? null : new MemgateError('NOT_FOUND', messages.missing, { cause: error });
    default:
      return null;
  }
}
