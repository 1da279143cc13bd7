import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemgateMcpOptions } from '@memgate/core';
import { createRestApp } from '@memgate/rest';
import { SqliteStore } from '@memgate/store-sqlite';
import {
  type ConformanceTarget,
  conformanceTarget,
  createTestMemgate,
  type MockUpstream,
  startMockUpstream,
  type TestMemgate,
} from '@memgate/testkit';
import { createGraphqlApp, type GraphqlApp, type GraphqlAppOptions } from '../src/index.ts';
import { graphqlClient } from './graphql-client.ts';

export interface GraphqlHarness extends TestMemgate {
  /** `http://127.0.0.1:PORT`: REST under /v1 (for setup), GraphQL under /graphql. */
  baseUrl: string;
  graphqlUrl: string;
  wsUrl: string;
  upstream: MockUpstream;
  server: Server;
  app: GraphqlApp;
  close(): Promise<void>;
}

/** The upstream the core calls: the harness's mock by default, with the default timeout. */
export interface UpstreamOptions {
  upstreamUrl?: string;
  timeoutMs?: number;
  /** MCP servers as tool sources (the client pool, secret key, private addresses). */
  mcp?: MemgateMcpOptions;
  /** MEMGATE_MAX_IMPORT_BYTES; the core's default when absent. */
  maxImportBytes?: number;
}

const isGraphql = (url: string | undefined) => (url ?? '/').split('?')[0] === '/graphql';

/**
 * REST and GraphQL on one real node:http server on port 0, over a real SQLite file, with the
 * mock upstream behind it — the shape of the all-in-one server. `options` go to the GraphQL app.
 */
export async function startGraphqlHarness(options: GraphqlAppOptions & UpstreamOptions = {}): Promise<GraphqlHarness> {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-graphql-'));
  const test = await createTestMemgate({
    store: SqliteStore.open(dataDir),
    upstreamUrl: options.upstreamUrl ?? upstream.url,
    timeoutMs: options.timeoutMs,
    mcp: options.mcp,
    maxImportBytes: options.maxImportBytes,
  });
  const rest = createRestApp(test.memgate);
  const app = createGraphqlApp(test.memgate, options);
  const server = createServer((request, response) => {
    if (isGraphql(request.url)) app.handleRequest(request, response);
    else rest(request, response);
  });
  server.on('upgrade', (request, socket, head) => {
    if (isGraphql(request.url)) app.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...test,
    baseUrl: `http://127.0.0.1:${port}`,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    upstream,
    server,
    app,
    async close() {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The harness as the conformance suites (protocol and upstream faults) see it. */
export async function startGraphqlTarget(options: UpstreamOptions = {}): Promise<ConformanceTarget> {
  const harness = await startGraphqlHarness(options);
  return conformanceTarget(harness, async (apiKey) => graphqlClient(harness, apiKey));
}
