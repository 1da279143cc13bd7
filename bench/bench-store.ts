import { randomBytes } from 'node:crypto';
import type { Store } from '@memgate/core';
import { PostgresStore } from '@memgate/store-postgres';
import pg from 'pg';

/** The store a bench's memgate runs on, and how to clean up after it. */
export interface BenchStore {
  store: Store;
  drop(): Promise<void>;
}

/**
 * SQLite (`sqlite()`) unless BENCH_STORE=postgres: then PostgreSQL at DATABASE_URL, in a schema of
 * its own (`memgate_bench_<random>`) so that a run never touches the tests' tables, dropped at the end.
 */
export async function openBenchStore(sqlite: () => Store): Promise<BenchStore> {
  const kind = process.env['BENCH_STORE'] ?? 'sqlite';
  if (kind === 'sqlite') return { store: sqlite(), drop: async () => undefined };
  if (kind !== 'postgres') throw new Error(`BENCH_STORE must be sqlite or postgres, not "${kind}"`);
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('BENCH_STORE=postgres needs DATABASE_URL');
  const schema = `memgate_bench_${randomBytes(4).toString('hex')}`;
  await admin(databaseUrl, `CREATE SCHEMA ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    store: new PostgresStore({ connectionString: url.toString() }),
    drop: () => admin(databaseUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}

async function admin(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
