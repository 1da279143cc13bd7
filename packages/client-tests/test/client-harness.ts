import { subscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMemgateServer } from '@memgate/server';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, type MockUpstream, RestSetup, startMockUpstream } from '@memgate/testkit';

/** A real all-in-one memgate server on port 0, its mock upstream LLM, and what clients need to reach it. */
export interface ClientHarness {
  /** Base URL for OpenAI-compatible clients, ending in `/v1`. */
  baseURL: string;
  /** alice's API key. */
  apiKey: string;
  upstream: MockUpstream;
  setup: RestSetup;
  /**
   * Every HTTP request a client library made to a host other than this machine: the libraries
   * must run offline, from the npm registry alone (no tokenizer downloads, no telemetry).
   */
  outbound: string[];
  close(): Promise<void>;
}

const outbound: string[] = [];
let watching = false;

/** Records requests leaving the machine, through fetch (undici) and through node:http alike. */
function watchOutbound(): void {
  if (watching) return;
  watching = true;
  const record = (url: string): void => {
    const { hostname } = new URL(url);
    if (hostname !== '127.0.0.1' && hostname !== 'localhost' && hostname !== '[::1]') outbound.push(url);
  };
  subscribe('undici:request:create', (message) => {
    const { request } = message as { request: { origin: string; path: string } };
    record(`${request.origin}${request.path}`);
  });
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: { protocol: string; host: string; path: string } };
    record(`${request.protocol}//${request.host}${request.path}`);
  });
}

export async function startClientHarness(): Promise<ClientHarness> {
  watchOutbound();
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-clients-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0 });
  return {
    baseURL: `${server.url}/v1`,
    apiKey: test.apiKey,
    upstream,
    setup: new RestSetup(server.url, test.apiKey),
    outbound,
    async close() {
      await server.close();
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
