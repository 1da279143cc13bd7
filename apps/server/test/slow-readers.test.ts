import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, type MockUpstream, RestSetup, sendMessage, startMockUpstream } from '@memgate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { STREAM } from '../../graphql/test/graphql-operations.ts';
import { graphqlInput } from '../../graphql/test/rest-shapes.ts';
import { type MemgateServer, startMemgateServer } from '../src/index.ts';

/** Far more than the socket buffers of both ends hold, so that a client that never reads stalls the writer. */
const LONG_REPLY = 'All work and no play makes Jack a dull boy. '.repeat(200_000);

interface Setup {
  upstream: MockUpstream;
  server: MemgateServer;
  apiKey: string;
  agentId: string;
  close(): Promise<void>;
}

async function start(stream: { stallMs: number; maxBufferedBytes: number }): Promise<Setup> {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-slow-readers-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0, stream });
  const agentId = await new RestSetup(server.url, test.apiKey).createAgent({ name: 'slow reader' });
  return {
    upstream,
    server,
    apiKey: test.apiKey,
    agentId,
    async close() {
      await server.close();
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A real TCP client that sends one request and then never reads: nothing is attached to its
 * socket, so Node takes no more than its own small buffer from the kernel.
 */
function neverReadingClient(url: string, path: string, headers: Record<string, string>, body: unknown): Socket {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const text = JSON.stringify(body);
  const lines = [
    `POST ${path} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n${text}`);
  socket.on('error', () => undefined);
  return socket;
}

/** The next turn on the agent runs (the slow reader's turn gave its lock back) and the history reads whole. */
async function expectAgentFreed(setup: Setup) {
  setup.upstream.script(sendMessage('After the slow reader.'));
  const response = await fetch(`${setup.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${setup.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'mock-model',
      user: setup.agentId,
      messages: [{ role: 'user', content: 'Still there?' }],
    }),
  });
  expect(response.status).toBe(200);
  const completion = (await response.json()) as { choices: { message: { content: string } }[] };
  expect(completion.choices[0]?.message.content).toBe('After the slow reader.');
  const history = await new RestSetup(setup.server.url, setup.apiKey).messages(setup.agentId);
  expect(history.map((message) => message.role).slice(-3)).toEqual(['user', 'assistant', 'tool']);
  // Every stored tool call has its result: the cut-off turn left nothing half-written.
  const calls = history.flatMap(
    (message) => (message as { tool_calls?: { id: string }[] }).tool_calls?.map((call) => call.id) ?? [],
  );
  const answered = new Set(history.map((message) => message.tool_call_id));
  expect(calls.every((id) => answered.has(id))).toBe(true);
}

/** Reading at last, the client finds its connection dropped before the stream's end. */
async function expectCutOff(socket: Socket): Promise<void> {
  let received = '';
  socket.on('data', (data: Buffer) => {
    received = (received + data.toString('latin1')).slice(-64);
  });
  await new Promise((resolve) => socket.once('close', resolve));
  expect(received).not.toContain('[DONE]');
  expect(received).not.toContain('event: complete');
}

describe('a streaming client that stops reading is disconnected and its agent freed', () => {
  let setup: Setup | undefined;
  afterEach(async () => {
    await setup?.close();
    setup = undefined;
  });

  it.each([
    ['after MEMGATE_STREAM_STALL_MS without progress', { stallMs: 300, maxBufferedBytes: 1024 * 1024 * 1024 }],
    // A stall timeout far beyond the test's own: only the buffer cap can free the agent in time.
    [
      'as soon as the send buffer passes MEMGATE_STREAM_MAX_BUFFER_BYTES',
      { stallMs: 600_000, maxBufferedBytes: 64 * 1024 },
    ],
  ])('REST SSE: %s', async (_when, limits) => {
    setup = await start(limits);
    setup.upstream.script(sendMessage(LONG_REPLY, { chunkSize: 16 * 1024 }));
    const client = neverReadingClient(
      setup.server.url,
      '/v1/chat/completions',
      { authorization: `Bearer ${setup.apiKey}` },
      { model: 'mock-model', user: setup.agentId, stream: true, messages: [{ role: 'user', content: 'Talk' }] },
    );
    try {
      await expectAgentFreed(setup);
      await expectCutOff(client);
    } finally {
      client.destroy();
    }
  });

  it('GraphQL SSE subscription: after MEMGATE_STREAM_STALL_MS without progress', async () => {
    setup = await start({ stallMs: 300, maxBufferedBytes: 1024 * 1024 * 1024 });
    setup.upstream.script(sendMessage(LONG_REPLY, { chunkSize: 16 * 1024 }));
    const body = {
      query: STREAM,
      variables: {
        input: graphqlInput({
          model: 'mock-model',
          user: setup.agentId,
          messages: [{ role: 'user', content: 'Talk' }],
        }),
      },
    };
    const client = neverReadingClient(
      setup.server.url,
      '/graphql',
      { authorization: `Bearer ${setup.apiKey}`, accept: 'text/event-stream' },
      body,
    );
    try {
      await expectAgentFreed(setup);
      await expectCutOff(client);
    } finally {
      client.destroy();
    }
  });

  it('graphql-ws: a subscriber that stops reading is cut off after MEMGATE_STREAM_STALL_MS', async () => {
    setup = await start({ stallMs: 300, maxBufferedBytes: 1024 * 1024 * 1024 });
    setup.upstream.script(sendMessage(LONG_REPLY, { chunkSize: 16 * 1024 }));
    const socket = new WebSocket(`${setup.server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${setup.apiKey}` } }));
    await new Promise((resolve) => socket.once('message', resolve));
    const input = graphqlInput({
      model: 'mock-model',
      user: setup.agentId,
      messages: [{ role: 'user', content: 'Talk' }],
    });
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: STREAM, variables: { input } } }));
    socket.pause();
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    await expectAgentFreed(setup);
    socket.resume();
    expect(await closed).toBe(1006);
  });
});
