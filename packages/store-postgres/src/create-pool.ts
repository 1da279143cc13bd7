import pg from 'pg';

/** Options of {@link createPool}. */
export interface PoolOptions {
  /** `postgres://user:password@host:port/database`; `?options=-c search_path=…` picks a schema. */
  connectionString: string;
  /** Upper bound of open connections (pg's default is 10). */
  max?: number;
  /** Shown in pg_stat_activity, so an operator can tell memgate's connections apart. */
  applicationName?: string;
  /** How long `connect()` waits for a free connection before failing; 0 waits for ever. Default 30 s. */
  connectionTimeoutMillis?: number;
  /**
   * PostgreSQL's `statement_timeout` on every connection of the pool: a query running longer is
   * cancelled by the server (error 57014) instead of holding a connection and a turn. Default: none.
   */
  statementTimeoutMillis?: number;
}

/**
 * A pg Pool with the settings memgate relies on. TCP keepalive makes a connection to a peer
 * that vanished (a dead database host, a cut network) fail within about a minute instead of
 * hanging on the OS default of two hours.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'memgate',
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 30_000,
    idleTimeoutMillis: 30_000,
    // Sent as a startup parameter, so it holds from the first query; 0 (or none) is PostgreSQL's "no limit".
    ...(options.statementTimeoutMillis ? { statement_timeout: options.statementTimeoutMillis } : {}),
  });
  // An idle connection that breaks (database restart) must not crash the process: the pool
  // drops it and the next query opens a new one.
  pool.on('error', () => undefined);
  return pool;
}

/** The connection string with its password masked, fit for a banner or a log line. */
export function describeConnection(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}
