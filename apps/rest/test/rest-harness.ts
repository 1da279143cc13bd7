import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemgateMcpOptions } from '@memgate/core';
import { SqliteStore } from '@memgate/store-sqlite';
import {
  type ConformanceTarget,
  conformanceTarget,
  createTestMemgate,
  type MockUpstream,
  startMockUpstream,
  type TestMemgate,
} from '@memgate/testkit';
import { createRestApp } from '../src/rest-app.ts';
import { restClient } from './rest-client.ts';

export interface RestHarness extends TestMemgate {
  baseUrl: string;
  upstream: MockUpstream;
  server: Server;
  dataDir: string;
  close(): Promise<void>;
}

export interface RestHarnessOptions {
  bodyLimitBytes?: number;
  maxAttachmentBytes?: number;
  maxImportBytes?: number;
  maxInputMessages?: number;
  timeoutMs?: number;
  adminToken?: string;
  embeddingModel?: string;
  /** Upstream model names the server is configured for (default `['mock-model']`). */
  models?: string[];
  /** Reopen this data directory (kept on close) instead of a fresh one; `keys` are its users' keys. */
  reopen?: { dataDir: string; keys: { apiKey: string; otherApiKey: string } };
  /** Keep the data directory on close, to reopen it later. */
  keepData?: boolean;
  /** Point the server at this upstream instead of the harness's mock (e.g. a refused port). */
  upstreamUrl?: string;
  /** MCP servers as tool sources (the client pool, secret key, private addresses). */
  mcp?: MemgateMcpOptions;
}

/** A real REST server on port 0 over a real SQLite file, with the mock upstream behind it. */
export async function startRestHarness(options: RestHarnessOptions = {}): Promise<RestHarness> {
  const upstream = await startMockUpstream();
  const dataDir = options.reopen?.dataDir ?? mkdtempSync(join(tmpdir(), 'memgate-rest-'));
  const test = await createTestMemgate({
    store: SqliteStore.open(dataDir),
    upstreamUrl: options.upstreamUrl ?? upstream.url,
    timeoutMs: options.timeoutMs,
    adminToken: options.adminToken,
    embeddingModel: options.embeddingModel,
    models: options.models,
    maxAttachmentBytes: options.maxAttachmentBytes,
    maxImportBytes: options.maxImportBytes,
    maxInputMessages: options.maxInputMessages,
    keys: options.reopen?.keys,
    mcp: options.mcp,
  });
  const server = createServer(createRestApp(test.memgate, { bodyLimitBytes: options.bodyLimitBytes }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...test,
    baseUrl: `http://127.0.0.1:${port}`,
    upstream,
    server,
    dataDir,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await test.memgate.close();
      await upstream.close();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The harness as the conformance suites (protocol and upstream faults) see it. */
export async function startRestTarget(options: RestHarnessOptions = {}): Promise<ConformanceTarget> {
  const harness = await startRestHarness(options);
  return conformanceTarget(harness, async (apiKey) => restClient(harness.baseUrl, apiKey));
}
