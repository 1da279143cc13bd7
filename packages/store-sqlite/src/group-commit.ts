import { type ErrorCode, MemgateError } from '@memgate/core/store-kit';
import type { Database } from './driver.ts';
import { prepareStatements, type Statements } from './statements.ts';
import {
  type SerialisedError,
  WRITE_OPERATIONS,
  type WriteAnswer,
  type WriteContext,
  type WriteRequest,
} from './write-operations.ts';

/**
 * Runs queued writes as one group: one transaction, so one fsync, for all of them. Each write runs
 * in a savepoint of its own, so one that fails (a constraint, a missing agent) is undone alone and
 * the others still commit; a failing COMMIT fails them all, since then none of them is durable.
 */
export class GroupCommit {
  #statements: Statements | undefined;

  constructor(private readonly db: Database) {}

  // Prepared on first use: the tables exist only once the store has migrated.
  get #context(): WriteContext {
    this.#statements ??= prepareStatements(this.db);
    return { db: this.db, sql: this.#statements };
  }

  run(requests: readonly WriteRequest[]): WriteAnswer[] {
    const context = this.#context;
    const { db } = this;
    // Alone, a write needs no group around it: it commits as it would on its own, in its own
    // transaction (or as one statement), which spares the savepoint statements.
    if (requests.length === 1) return [this.#runAlone(context, requests[0]!)];
    const answers: WriteAnswer[] = [];
    // The answers of the writes the open transaction holds.
    let open: WriteAnswer[] = [];
    const failAll = (group: WriteAnswer[], error: SerialisedError) => {
      for (const answer of group) Object.assign(answer, { ok: false, error, value: undefined });
    };
    for (const request of requests) {
      if (!db.isTransaction) {
        try {
          // IMMEDIATE takes the write lock up front, so another process's writer waits
          // (busy_timeout) instead of failing half-way with SQLITE_BUSY.
          db.exec('BEGIN IMMEDIATE');
          open = [];
        } catch (error) {
          answers.push({ id: request.id, ok: false, error: serialiseError(error) });
          continue;
        }
      }
      const answer = this.#runOne(context, request);
      answers.push(answer);
      if (db.isTransaction) open.push(answer);
      // SQLite rolled the whole transaction back on its own (e.g. SQLITE_FULL): the writes before
      // this one in the group are gone too.
      else if (!answer.ok) failAll(open, answer.error);
    }
    if (db.isTransaction) {
      try {
        db.exec('COMMIT');
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        failAll(open, serialiseError(error));
      }
    }
    return answers;
  }

  #runAlone(context: WriteContext, { id, operation, arguments: parameters }: WriteRequest): WriteAnswer {
    try {
      return { id, ok: true, value: operationOf(operation)(context, ...parameters) };
    } catch (error) {
      return { id, ok: false, error: serialiseError(error) };
    }
  }

  #runOne(context: WriteContext, { id, operation, arguments: parameters }: WriteRequest): WriteAnswer {
    const { db } = context;
    db.exec('SAVEPOINT write');
    try {
      const value = operationOf(operation)(context, ...parameters);
      db.exec('RELEASE write');
      return { id, ok: true, value };
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK TO write; RELEASE write');
      return { id, ok: false, error: serialiseError(error) };
    }
  }
}

function operationOf(operation: WriteRequest['operation']) {
  return WRITE_OPERATIONS[operation] as (context: WriteContext, ...rest: unknown[]) => unknown;
}

/** Flattens an error for postMessage, keeping what callers and the error mapping read. */
export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof MemgateError) {
    const { code, param, detailCode, retryAfterSeconds, logDetail } = error;
    return {
      name: error.name,
      message: error.message,
      memgate: { code, param, detailCode, retryAfterSeconds, logDetail },
    };
  }
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, errcode, errstr } = error as { code?: unknown; errcode?: unknown; errstr?: unknown };
  return { name: error.name, message: error.message, code, errcode, errstr };
}

/** Rebuilds an error posted by the writer: a MemgateError stays one. */
export function deserialiseError(error: SerialisedError): Error {
  if (error.memgate) {
    const { code, ...options } = error.memgate;
    return new MemgateError(code as ErrorCode, error.message, options);
  }
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return Object.assign(rebuilt, { code: error.code, errcode: error.errcode, errstr: error.errstr });
}
