import type { Store } from '@memgate/core';
import { PostgresStore } from '@memgate/store-postgres';
import { createTemporarySchema } from '@memgate/store-postgres/temporary-schema';

/** The store a bench's memgate runs on, and how to clean up after it. */
export interface BenchStore {
  store: Store;
  drop(): Promise<void>;
}

/**
 * SQLite (`sqlite()`) unless BENCH_STORE=postgres: then PostgreSQL at DATABASE_URL, in a schema of
 * its own (`memgate_bench_<pid>_<random>`) so that a run never touches the tests' tables, dropped at the end.
 */
export async function openBenchStore(sqlite: () => Store): Promise<BenchStore> {
  const kind = process.env['BENCH_STORE'] ?? 'sqlite';
  if (kind === 'sqlite') return { store: sqlite(), drop: async () => undefined };
  if (kind !== 'postgres') throw new Error(`BENCH_STORE must be sqlite or postgres, not "${kind}"`);
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('BENCH_STORE=postgres needs DATABASE_URL');
  const schema = await createTemporarySchema(databaseUrl, 'memgate_bench');
  return { store: new PostgresStore({ connectionString: schema.connectionString }), drop: schema.drop };
}
