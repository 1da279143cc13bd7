import { DatabaseSync, type SQLInputValue, type StatementResultingChanges, type StatementSync } from 'node:sqlite';

/**
 * The thin layer between the store and Node's built-in `node:sqlite`: it gives prepared
 * statements their parameter and row types (node:sqlite types every row as a record of
 * unknown values), reads single values, and runs transactions, which node:sqlite leaves to SQL.
 */

/** A connection. */
export type Database = DatabaseSync;

/** Parameters a statement takes: positional (a tuple) or named (an object whose keys are the `@names`). */
type Parameters = readonly unknown[] | object;
type Arguments<P extends Parameters> = P extends readonly unknown[] ? P : [P];

/** A prepared statement with known parameter and row types. */
export interface Statement<P extends Parameters = [], Row = unknown> {
  run(...parameters: Arguments<P>): StatementResultingChanges;
  get(...parameters: Arguments<P>): Row | undefined;
  all(...parameters: Arguments<P>): Row[];
  iterate(...parameters: Arguments<P>): IterableIterator<Row>;
}

/** A prepared statement that reads the first column of each row (better-sqlite3 called it `pluck`). */
export interface ValueStatement<P extends Parameters, Value> {
  get(...parameters: Arguments<P>): Value | undefined;
  all(...parameters: Arguments<P>): Value[];
}

/** A prepared statement whose rows are arrays of column values, for hot loops that need no column names. */
export interface ArrayStatement<P extends Parameters, Row extends readonly unknown[]> {
  iterate(...parameters: Arguments<P>): IterableIterator<Row>;
}

/** Opens a connection; rows come back as objects, integers as numbers. */
export function connect(filename: string, options: { readOnly?: boolean } = {}): Database {
  return new DatabaseSync(filename, { readOnly: options.readOnly ?? false });
}

/** Prepares `sql` with the given parameter and row types. */
export function prepare<P extends Parameters = [], Row = unknown>(db: Database, sql: string): Statement<P, Row> {
  return db.prepare(sql) as unknown as Statement<P, Row>;
}

/** Prepares `sql` to read only its first column. */
export function prepareValue<P extends Parameters, Value>(db: Database, sql: string): ValueStatement<P, Value> {
  const statement: StatementSync = db.prepare(sql);
  statement.setReturnArrays(true);
  type Bound = SQLInputValue[];
  return {
    get: (...parameters) => (statement.get(...(parameters as Bound)) as unknown as [Value] | undefined)?.[0],
    all: (...parameters) => (statement.all(...(parameters as Bound)) as unknown as [Value][]).map((row) => row[0]),
  };
}

/** Prepares `sql` to return each row as an array of its columns. */
export function prepareArrays<P extends Parameters, Row extends readonly unknown[]>(
  db: Database,
  sql: string,
): ArrayStatement<P, Row> {
  const statement = db.prepare(sql);
  statement.setReturnArrays(true);
  return statement as unknown as ArrayStatement<P, Row>;
}

/** How a transaction takes its lock: `IMMEDIATE` takes the write lock up front, `DEFERRED` at the first write. */
export type TransactionMode = 'DEFERRED' | 'IMMEDIATE';

/**
 * Runs `work` in a transaction: committed if it returns, rolled back entirely if it throws.
 * Inside another transaction it runs in a savepoint, so a failing inner step undoes only itself.
 * `work` must be synchronous: the transaction ends when it returns.
 */
export function transaction<T>(db: Database, mode: TransactionMode, work: () => T): T {
  const nested = db.isTransaction;
  db.exec(nested ? 'SAVEPOINT nested' : `BEGIN ${mode}`);
  try {
    const result = work();
    db.exec(nested ? 'RELEASE nested' : 'COMMIT');
    return result;
  } catch (error) {
    // SQLite may already have rolled back on its own (e.g. SQLITE_FULL), and a failed COMMIT leaves
    // the transaction open: undo only what is still open.
    if (db.isTransaction) db.exec(nested ? 'ROLLBACK TO nested; RELEASE nested' : 'ROLLBACK');
    throw error;
  }
}
