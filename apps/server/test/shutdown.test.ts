import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, type MockUpstream, RestSetup, sendMessage, startMockUpstream } from '@memgate/testkit';
import OpenAI from 'openai';
import { afterEach, expect, it } from 'vitest';
import { STREAM } from '../../graphql/test/graphql-operations.ts';
import { collect, wsClient } from '../../graphql/test/graphql-transport.ts';
import { graphqlInput } from '../../graphql/test/rest-shapes.ts';
import { gate, until } from '../../ws/test/ws-harness.ts';
import { startMemgateServer } from '../src/index.ts';
import { newcomerEnv, type ServerProcess, startServerProcess } from './server-process.ts';

const SHUTDOWN_TIMEOUT_MS = 20_000;

let upstream: MockUpstream | undefined;
let server: ServerProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await server?.stop('SIGKILL');
  await upstream?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('SIGTERM: the in-flight turn finishes, keep-alive SDK sockets are closed, and the process exits 0 well before its deadline', async () => {
  upstream = await startMockUpstream();
  dataDir = mkdtempSync(join(tmpdir(), 'memgate-shutdown-'));
  server = await startServerProcess(
    newcomerEnv(dataDir, {
      MEMGATE_LLM_BASE_URL: upstream.url,
      MEMGATE_LLM_API_KEY: 'upstream-test-key',
      MEMGATE_LLM_MODEL: 'mock-model',
      MEMGATE_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    }),
  );
  const headers = { authorization: `Bearer ${server.printedKey}`, 'content-type': 'application/json' };
  const agent = (await (
    await fetch(`${server.url}/v1/agents`, { method: 'POST', headers, body: '{"name":"ada"}' })
  ).json()) as { id: string };
  // The OpenAI SDK keeps its connections alive between requests, as production clients do.
  const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: server.printedKey!, maxRetries: 0 });
  const ask = { model: 'mock-model', user: agent.id, messages: [{ role: 'user' as const, content: 'Hi' }] };

  upstream.script(sendMessage('First.'));
  expect((await openai.chat.completions.create(ask)).choices[0]?.message.content).toBe('First.');

  const held = gate();
  upstream.setDefault(async () => {
    await held.promise;
    return sendMessage('Finished during shutdown.');
  });
  const inFlight = openai.chat.completions.create(ask).withResponse();
  await until(() => upstream!.requests.length === 2);
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    server!.child.once('exit', (code) => resolve({ code, at: performance.now() })),
  );
  const signalledAt = performance.now();
  server.child.kill('SIGTERM');
  // New connections are refused from now on; the turn already running still gets its answer.
  await until(() => server!.output().includes('SIGTERM received'));
  held.open();
  const { data, response } = await inFlight;
  expect(data.choices[0]?.message.content).toBe('Finished during shutdown.');
  // The client is told not to reuse the connection.
  expect(response.headers.get('connection')).toBe('close');
  const { code, at } = await exited;
  expect(code).toBe(0);
  // Not a timing assertion on speed: only that nothing held the process until the deadline.
  expect(at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
}, 60_000);

it('closing the server lets a graphql-ws turn finish before its socket is closed with 1001', async () => {
  upstream = await startMockUpstream();
  dataDir = mkdtempSync(join(tmpdir(), 'memgate-shutdown-gql-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const memgateServer = await startMemgateServer({ memgate: test.memgate, port: 0 });
  try {
    const agentId = await new RestSetup(memgateServer.url, test.apiKey).createAgent({ name: 'graphql shutdown' });
    const closes: number[] = [];
    // Not lazy: a lazy client would close the socket itself (1000) once its last subscription ended.
    const client = wsClient(`${memgateServer.url.replace('http', 'ws')}/graphql`, test.apiKey, { lazy: false });
    client.on('closed', (event) => void closes.push((event as { code: number }).code));
    const held = gate();
    upstream.setDefault(async () => {
      await held.promise;
      return sendMessage('Finished during shutdown.');
    });
    const input = graphqlInput({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Hi' }] });
    const record = collect<{ chatCompletionStream: { choices: { delta: { content?: string | null } }[] } }>(
      client,
      STREAM,
      { input },
    );
    await until(() => upstream!.requests.length === 1);
    const closed = memgateServer.close();
    held.open();
    const { results, failure } = await record;
    expect(failure).toBeUndefined();
    const text = results.map((result) => result.data?.chatCompletionStream.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Finished during shutdown.');
    await closed;
    await until(() => closes.length > 0);
    expect(closes[0]).toBe(1001);
    await client.dispose();
  } finally {
    await memgateServer.close();
    await test.memgate.close();
  }
});

it('SIGTERM with a turn that outlasts MEMGATE_SHUTDOWN_TIMEOUT_MS: the process exits 1 at the deadline', async () => {
  upstream = await startMockUpstream();
  dataDir = mkdtempSync(join(tmpdir(), 'memgate-shutdown-deadline-'));
  server = await startServerProcess(
    newcomerEnv(dataDir, {
      MEMGATE_LLM_BASE_URL: upstream.url,
      MEMGATE_LLM_API_KEY: 'upstream-test-key',
      MEMGATE_LLM_MODEL: 'mock-model',
      MEMGATE_SHUTDOWN_TIMEOUT_MS: '1500',
    }),
  );
  const headers = { authorization: `Bearer ${server.printedKey}`, 'content-type': 'application/json' };
  const agent = (await (
    await fetch(`${server.url}/v1/agents`, { method: 'POST', headers, body: '{"name":"stuck"}' })
  ).json()) as { id: string };
  upstream.script({ hang: true });
  const stuck = fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'mock-model', user: agent.id, messages: [{ role: 'user', content: 'Hi' }] }),
  }).catch((error: unknown) => error);
  await until(() => upstream!.requests.length === 1);
  const exited = new Promise<number | null>((resolve) => server!.child.once('exit', (code) => resolve(code)));
  server.child.kill('SIGTERM');
  expect(await exited).toBe(1);
  expect(server.output()).toMatch(/still busy after 1500 ms \(MEMGATE_SHUTDOWN_TIMEOUT_MS\)/);
  // The client of the cut-off turn sees its connection end.
  expect(await stuck).toBeInstanceOf(Error);
}, 60_000);
