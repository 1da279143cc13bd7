import { type AgentLock, InProcessAgentLock, MemgateError, type ReleaseLock } from '@memgate/core';
import type pg from 'pg';
import { createPool } from './create-pool.ts';
import { cancelBackend, connectUnlessAborted, lockSession } from './lock-connection.ts';

// Two int4 keys: a namespace per schema (deployments sharing a database stay independent) and
// the agent. A hash collision between two agents only makes them take turns, never run together.
const LOCK_KEY = "hashtext('memgate.agent-lock:' || current_schema()), hashtext($1)";
const LOCK = { name: 'memgate_agent_lock', text: `SELECT pg_advisory_lock(${LOCK_KEY})` };
const UNLOCK = { name: 'memgate_agent_unlock', text: `SELECT pg_advisory_unlock(${LOCK_KEY}) AS released` };

/** Options of {@link PostgresAgentLock}. */
export interface PostgresAgentLockOptions {
  /** The database the instances share (its `search_path` schema scopes the locks). */
  connectionString: string;
  /**
   * Connections for locks, i.e. agents with a turn running or waiting on this instance at once
   * (default 32). Each held lock keeps one connection for the whole turn.
   */
  maxConnections?: number;
}

/**
 * Serialises turns per agent across every instance on one database. First an in-process FIFO,
 * so an instance sends at most one lock request per agent (and uses at most one connection for
 * it); then a session-level `pg_advisory_lock` on a dedicated connection, held for the turn.
 *
 * Blocking in `pg_advisory_lock`, rather than polling `pg_try_advisory_lock`, keeps arrival order
 * across instances (PostgreSQL grants queued lock requests first come, first served), hands the
 * lock over the moment it is released, and costs the database nothing while waiting. An abort
 * while waiting cancels the request with `pg_cancel_backend`; that connection is then dropped, so
 * a cancel that lands late can never hit a later query, and whatever it held dies with it.
 *
 * A crashed instance's sessions end, and PostgreSQL releases their locks: its agents keep serving
 * on the other instances (see lock-connection.ts for the keepalive that bounds this).
 */
export class PostgresAgentLock implements AgentLock {
  readonly #local = new InProcessAgentLock();
  readonly #pool: pg.Pool;
  readonly #connectionString: string;
  /** Connections checked out for a lock, each with the way to hand it back. */
  readonly #checkedOut = new Map<pg.PoolClient, (broken?: unknown) => void>();

  constructor(options: PostgresAgentLockOptions) {
    this.#connectionString = options.connectionString;
    // No connect timeout: with every lock connection taken, a turn waits as it would for the lock.
    this.#pool = createPool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 32,
      applicationName: 'memgate agent locks',
      connectionTimeoutMillis: 0,
    });
  }

  async acquire(agentId: string, signal?: AbortSignal): Promise<ReleaseLock> {
    const releaseLocal = await this.#local.acquire(agentId, signal);
    let held: HeldLock;
    try {
      held = await this.#lockInDatabase(agentId, signal);
    } catch (error) {
      await releaseLocal();
      throw error;
    }
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      try {
        await held.unlock();
      } finally {
        await releaseLocal();
      }
    };
    return Object.assign(release, { lost: held.lost });
  }

  /** Closes the lock connections; locks still held are released by PostgreSQL as they close. */
  async close(): Promise<void> {
    // pool.end() waits for checked-out connections, and a turn that never ends must not stall a shutdown.
    for (const finish of [...this.#checkedOut.values()]) finish(new Error('The agent lock is closing.'));
    await this.#pool.end();
  }

  async #lockInDatabase(agentId: string, signal: AbortSignal | undefined): Promise<HeldLock> {
    const client = await connectUnlessAborted(this.#pool, signal);
    // A held connection that breaks emits 'error' (unheard, that would crash the process) or
    // 'end': its session is gone, and PostgreSQL has handed the lock on. The holder must stop.
    const lost = new AbortController();
    const onConnectionLost = () =>
      lost.abort(
        new MemgateError(
          'SERVICE_UNAVAILABLE',
          `The turn was stopped: the database connection holding the lock of agent ${agentId} broke. Retry the request.`,
          {
            detailCode: 'agent_lock_lost',
          },
        ),
      );
    client.on('error', onConnectionLost);
    client.on('end', onConnectionLost);
    const finish = (broken?: unknown) => {
      if (!this.#checkedOut.delete(client)) return;
      client.off('error', onConnectionLost);
      client.off('end', onConnectionLost);
      // Dropping a connection (release with an error) ends its session, which frees its locks.
      client.release(broken === undefined ? undefined : broken instanceof Error ? broken : new Error(String(broken)));
    };
    this.#checkedOut.set(client, finish);

    let pid: number;
    try {
      pid = await lockSession(client);
      signal?.throwIfAborted();
    } catch (error) {
      // Aborted before any lock request: the connection is clean and goes back to the pool.
      finish(signal?.aborted && error === signal.reason ? undefined : error);
      throw error;
    }
    const onAbort = () => void cancelBackend(this.#connectionString, pid).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await client.query({ ...LOCK, values: [agentId] });
    } catch (error) {
      finish(error);
      throw signal?.aborted ? signal.reason : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted) {
      // Granted as the caller left, with a cancel perhaps still on its way: drop the connection.
      finish(signal.reason);
      throw signal.reason;
    }

    const unlock = async () => {
      try {
        const { rows } = await client.query<{ released: boolean }>({ ...UNLOCK, values: [agentId] });
        // false: the session lost the lock (a reconnect?); do not pool a connection in a state we did not expect.
        finish(rows[0]?.released === true ? undefined : new Error(`The lock of agent ${agentId} was not held.`));
      } catch (error) {
        finish(error);
      }
    };
    return { unlock, lost: lost.signal };
  }
}

/** A lock granted in PostgreSQL: how to give it back, and what tells that it was lost meanwhile. */
interface HeldLock {
  unlock(): Promise<void>;
  lost: AbortSignal;
}
