/**
 * memgate in its own process, as `pnpm start` runs it: every protocol on one port
 * (`startMemgateServer`), SQLite in a fresh temporary directory (or, with BENCH_STORE=postgres,
 * PostgreSQL at DATABASE_URL in a fresh schema, dropped at the end), the upstream named by
 * BENCH_UPSTREAM_URL. It answers `memory` requests with its own memory after a full GC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMemgateServer } from '@memgate/server';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate } from '@memgate/testkit';
import { openBenchStore } from '../bench-store.ts';
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

try {
  const upstreamUrl = process.env['BENCH_UPSTREAM_URL'];
  if (!upstreamUrl) throw new Error('BENCH_UPSTREAM_URL is not set');
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-bench-'));
  const { store, drop } = await openBenchStore(() => SqliteStore.open(dataDir));
  const test = await createTestMemgate({ store, upstreamUrl });
  // The connections benchmark holds thousands of chat-channel connections of its one user.
  const server = await startMemgateServer({ memgate: test.memgate, port: 0, maxWsConnectionsPerUser: 1_000_000 });
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
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  );
} catch (error) {
  failToParent(error);
}
