import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createObservability, type Observability } from '@memgate/runtime';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, type MockUpstream, RestSetup, startMockUpstream, type TestMemgate } from '@memgate/testkit';
import { type MemgateServer, startMemgateServer } from '../src/index.ts';

/** One JSON log line as pino wrote it. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

export interface ObservedServer extends TestMemgate {
  server: MemgateServer;
  upstream: MockUpstream;
  observability: Observability;
  /** Every raw line written so far. */
  raw: string[];
  lines(): LogLine[];
  agentId: string;
  close(): Promise<void>;
}

/**
 * The all-in-one server with a real pino logger (at `info`) writing to a captured stream, real
 * metrics, a real SQLite file and the mock upstream.
 */
export async function startObservedServer(
  options: { metricsToken?: string; upstreamUrl?: string } = {},
): Promise<ObservedServer> {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      raw.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const upstream = await startMockUpstream();
  const upstreamUrl = options.upstreamUrl ?? upstream.url;
  const observability = createObservability({ level: 'info', destination, upstreamBaseURL: upstreamUrl });
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-observability-'));
  const test = await createTestMemgate({
    store: SqliteStore.open(dataDir),
    upstreamUrl,
    telemetry: observability.telemetry,
  });
  const server = await startMemgateServer({
    memgate: test.memgate,
    port: 0,
    observability,
    metricsToken: options.metricsToken,
  });
  const agentId = await new RestSetup(server.url, test.apiKey).createAgent({ name: 'observed' });
  return {
    ...test,
    server,
    upstream,
    observability,
    raw,
    agentId,
    lines: () => raw.map((line) => JSON.parse(line) as LogLine),
    async close() {
      await server.close();
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A GraphQL request over HTTP. */
export async function graphql(
  server: ObservedServer,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${server.server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${server.apiKey}`,
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    response,
    body: (await response.json()) as { data?: unknown; errors?: { extensions: Record<string, unknown> }[] },
  };
}

export const CHAT_MUTATION =
  'mutation Chat($input: ChatCompletionInput!) { createChatCompletion(input: $input) { choices { message { content } } } }';

/** Waits until `check` holds (log lines are written when responses close, just after the client saw them). */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time.');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
