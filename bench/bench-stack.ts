import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@memgate/core';
import { createRestApp } from '@memgate/rest';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, type MockUpstream, type Responder, startMockUpstream } from '@memgate/testkit';

/** One complete memgate: its own SQLite file, mock upstream and REST server on port 0. */
export interface BenchStack {
  store: Store;
  upstream: MockUpstream;
  /** Creates an agent through the REST API and returns its id. */
  createAgent(body: Record<string, unknown>): Promise<string>;
  /** One non-streaming turn through POST /v1/chat/completions; throws unless it answers 200. */
  turn(agentId: string, content: string): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(options: { embeddingModel: string; responder: Responder }): Promise<BenchStack> {
  const upstream = await startMockUpstream({ defaultResponder: options.responder });
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-bench-'));
  const store = SqliteStore.open(dataDir);
  const test = await createTestMemgate({ store, upstreamUrl: upstream.url, embeddingModel: options.embeddingModel });
  const server = createServer(createRestApp(test.memgate));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${test.apiKey}` };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const payload = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(payload)}`);
    return payload;
  };
  return {
    store,
    upstream,
    createAgent: async (body) => (await post('/v1/agents', body))['id'] as string,
    async turn(agentId, content) {
      await post('/v1/chat/completions', { model: 'mock-model', user: agentId, messages: [{ role: 'user', content }] });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
