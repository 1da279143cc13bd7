import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { type MemgateServer, startMemgateServer } from '@memgate/server';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, type MockUpstream, startMockUpstream } from '@memgate/testkit';
import { consoleResponder } from './scripted-upstream.ts';

/** A real memgate server (SQLite in a temp dir) serving the built console, with the mock upstream. */
export interface ConsoleServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `http://127.0.0.1:PORT/console/` */
  consoleUrl: string;
  /** alice's key (she owns what the tests make) and bob's. */
  apiKey: string;
  otherApiKey: string;
  upstream: MockUpstream;
  server: MemgateServer;
  /** A REST call as alice: the JSON body, or an error naming the status. */
  rest<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** WebSocket upgrades (graphql-ws, chat channel) accepted so far. */
  upgrades(): number;
  /** Cuts every open WebSocket from the server side, as a restarted proxy or a network drop would. */
  dropSockets(): void;
  close(): Promise<void>;
}

/**
 * Starts the server on port 0. The console is the real build (`apps/console/dist`, built by turbo
 * before the tests run); the harness builds nothing.
 */
export async function startConsoleServer(): Promise<ConsoleServer> {
  const upstream = await startMockUpstream({ defaultResponder: consoleResponder });
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-browser-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0 });
  const sockets = new Set<Duplex>();
  let upgrades = 0;
  // Runs after the server's own upgrade listener: every socket it took over is counted and tracked.
  server.server.on('upgrade', (_request, socket: Duplex) => {
    upgrades += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const check = await fetch(`${server.url}/console/`);
  if (check.status !== 200) {
    await server.close();
    throw new Error(
      `/console/ answered ${check.status}: ${await check.text()} (build the console first: npx pnpm build)`,
    );
  }
  return {
    url: server.url,
    consoleUrl: `${server.url}/console/`,
    apiKey: test.apiKey,
    otherApiKey: test.otherApiKey,
    upstream,
    server,
    async rest<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
      const response = await fetch(`${server.url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { authorization: `Bearer ${test.apiKey}`, 'content-type': 'application/json' },
        ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
      return JSON.parse(text) as T;
    },
    upgrades: () => upgrades,
    dropSockets() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      await server.close();
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
