/**
 * memgate in its own process, as `pnpm start` runs it: every protocol on one port
 * (`startMemgateServer`), SQLite in a fresh temporary directory (or, with BENCH_STORE=postgres,
 * PostgreSQL at DATABASE_URL in a fresh schema, dropped at the end), the upstream named by
 * BENCH_UPSTREAM_URL. It answers `memory` requests with its own memory after a full GC.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@memgate/core';
import { startMemgateServer } from '@memgate/server';
import { PostgresStore } from '@memgate/store-postgres';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate } from '@memgate/testkit';
import pg from 'pg';
import { failToParent, serveParent } from '../child-process.ts';

/** What the memgate child reports when ready. */
export interface MemgateReady {
  url: string;
  apiKey: string;
}

/** `process.memoryUsage()` after a full garbage collection (the child runs with --expose-gc). */
export type MemorySnapshot = NodeJS.MemoryUsage;

async function settledMemory(): Promise<MemorySnapshot> {
  const collect = globalThis.gc;
  if (!collect) throw new Error('run with --expose-gc to measure memory');
  // Several rounds, with turns of the event loop between them, so finalisers and weak refs settle.
  for (let round = 0; round < 4; round++) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
}

/** The store under test, and how to remove what it created. */
async function openStore(): Promise<{ store: Store; remove: () => Promise<void> }> {
  if (process.env['BENCH_STORE'] !== 'postgres') {
    const dataDir = mkdtempSync(join(tmpdir(), 'memgate-bench-'));
    return { store: SqliteStore.open(dataDir), remove: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('BENCH_STORE=postgres needs DATABASE_URL');
  // A schema of its own, so runs never see each other's rows (or a test's) on a shared database.
  const schema = `memgate_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    store: new PostgresStore({ connectionString: url.toString() }),
    remove: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}

try {
  const upstreamUrl = process.env['BENCH_UPSTREAM_URL'];
  if (!upstreamUrl) throw new Error('BENCH_UPSTREAM_URL is not set');
  const { store, remove } = await openStore();
  const test = await createTestMemgate({ store, upstreamUrl });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0 });
  serveParent<MemgateReady>(
    { url: server.url, apiKey: test.apiKey },
    async (request) => {
      if (request.type === 'memory') return settledMemory();
      throw new Error(`unknown request ${request.type}`);
    },
    async () => {
      server.server.closeAllConnections();
      await server.close();
      await test.memgate.close();
      await remove();
    },
  );
} catch (error) {
  failToParent(error);
}
