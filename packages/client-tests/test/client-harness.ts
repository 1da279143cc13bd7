import { subscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMemgateServer } from '@memgate/server';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, type MockUpstream, RestSetup, startMockUpstream } from '@memgate/testkit';
import { afterAll, beforeAll, expect } from 'vitest';

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

/** What a test file sees of its harness: everything but `close`, which the file's hooks own. */
export type UsedHarness = Omit<ClientHarness, 'close'>;

/**
 * Registers one harness for the enclosing file or describe: started before its tests, closed after
 * them, and then checked to have sent no request off the machine. Read it inside tests and hooks.
 */
export function useClientHarness(): UsedHarness {
  let started: ClientHarness | undefined;
  const current = (): ClientHarness => {
    if (!started) throw new Error('the client harness is read before its beforeAll ran');
    return started;
  };
  beforeAll(async () => {
    started = await startClientHarness();
  });
  afterAll(async () => {
    await started?.close();
    expect(outbound).toEqual([]);
  });
  return {
    get baseURL() {
      return current().baseURL;
    },
    get apiKey() {
      return current().apiKey;
    },
    get upstream() {
      return current().upstream;
    },
    get setup() {
      return current().setup;
    },
    outbound,
  };
}

async function startClientHarness(): Promise<ClientHarness> {
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
