import pg from 'pg';

/**
 * Settings of a connection that holds agent locks. Server-side TCP keepalive (idle 10 s, then
 * 3 probes 5 s apart) lets PostgreSQL notice an instance whose host vanished without closing its
 * sockets, end its session and so release its locks within about 25 s; an instance that merely
 * crashed closes its sockets and loses its locks at once. `client_connection_check_interval`
 * (PostgreSQL 14+, skipped on older servers) also drops a lock *request* whose client is gone.
 */
const SESSION_SETUP = `
  SELECT pg_backend_pid() AS pid,
    set_config('tcp_keepalives_idle', '10', false),
    set_config('tcp_keepalives_interval', '5', false),
    set_config('tcp_keepalives_count', '3', false),
    (SELECT set_config(name, '5s', false) FROM pg_settings WHERE name = 'client_connection_check_interval')`;

const prepared = new WeakMap<pg.PoolClient, number>();

/** Prepares a lock connection on its first use and returns its backend pid (for cancelling). */
export async function lockSession(client: pg.PoolClient): Promise<number> {
  const known = prepared.get(client);
  if (known !== undefined) return known;
  const { rows } = await client.query<{ pid: number }>(SESSION_SETUP);
  const pid = rows[0]?.pid;
  if (pid === undefined) throw new Error('PostgreSQL did not report the backend pid of the lock connection.');
  prepared.set(client, pid);
  return pid;
}

/**
 * A pooled connection, or the signal's reason if it aborts first. A connection that arrives
 * after the abort goes straight back to the pool.
 */
export async function connectUnlessAborted(pool: pg.Pool, signal: AbortSignal | undefined): Promise<pg.PoolClient> {
  signal?.throwIfAborted();
  if (!signal) return pool.connect();
  const connecting = pool.connect();
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([connecting, aborted]);
  } catch (error) {
    connecting.then((client) => client.release()).catch(() => undefined);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Asks PostgreSQL to cancel what backend `pid` is running (here: waiting for a lock), from a
 * short-lived connection of its own, so a cancel never queues behind a full lock pool.
 */
export async function cancelBackend(connectionString: string, pid: number): Promise<void> {
  const client = new pg.Client({ connectionString, application_name: 'memgate lock cancel' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await client.end().catch(() => undefined);
  }
}
