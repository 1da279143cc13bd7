import { connect } from 'node:net';
import type { CompletionDoneFrame } from '@memgate/core';
import { sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChannelClient } from '../../ws/test/channel-client.ts';
import { CHAT_MUTATION, graphql, type ObservedServer, startObservedServer } from './observability-harness.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let observed: ObservedServer;
beforeAll(async () => {
  observed = await startObservedServer();
});
afterAll(() => observed.close());

const ask = (content = 'Hi') => ({
  model: 'mock-model',
  user: observed.agentId,
  messages: [{ role: 'user', content }],
});

/** Sends raw bytes, so that header values fetch would refuse reach the server. */
function rawRequest(head: string): Promise<string> {
  const { hostname, port } = new URL(observed.server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(Buffer.from(head, 'latin1')));
    let text = '';
    socket.on('data', (data) => {
      text += data.toString('latin1');
      if (text.includes('\r\n\r\n')) socket.end();
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

it('echoes a valid inbound id on REST, sends it upstream and puts it in error bodies', async () => {
  observed.upstream.script(sendMessage('ok'));
  const response = await fetch(`${observed.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${observed.apiKey}`, 'x-request-id': 'client-id-42' },
    body: JSON.stringify(ask()),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('x-request-id')).toBe('client-id-42');
  expect(observed.upstream.requests.at(-1)?.headers['x-request-id']).toBe('client-id-42');

  const missing = await fetch(`${observed.server.url}/v1/agents/agent-nope`, {
    headers: { authorization: `Bearer ${observed.apiKey}` },
  });
  const id = missing.headers.get('x-request-id');
  expect(id).toMatch(UUID);
  expect(((await missing.json()) as { error: { request_id: string } }).error.request_id).toBe(id);
});

it('replaces a malformed inbound id, never echoing it (no header injection)', async () => {
  const tooLong = 'a'.repeat(129);
  for (const bad of [tooLong, 'evil\u00e9id', 'tab\tid']) {
    const answer = await rawRequest(
      `GET /healthz HTTP/1.1\r\nHost: x\r\nx-request-id: ${bad}\r\nConnection: close\r\n\r\n`,
    );
    const echoed = /\r\nx-request-id: ([^\r\n]*)\r\n/i.exec(answer)?.[1];
    expect(echoed).toMatch(UUID);
    expect(answer).not.toContain(bad);
  }
  // A control character: Node's parser refuses the request itself; nothing is echoed either way.
  const control = await rawRequest(
    'GET /healthz HTTP/1.1\r\nHost: x\r\nx-request-id: x\u0001y\r\nConnection: close\r\n\r\n',
  );
  expect(control).not.toContain('x\u0001y');
  // A CR/LF smuggled into the value is cut by Node's parser; what reaches us is replaced anyway.
  const injected = await rawRequest(
    'GET /healthz HTTP/1.1\r\nHost: x\r\nx-request-id: a\rset-cookie: pwned=1\r\nConnection: close\r\n\r\n',
  );
  expect(injected.toLowerCase()).not.toContain('set-cookie');
});

it("gives openai-node a non-null request_id, the server's x-request-id", async () => {
  const client = new OpenAI({ baseURL: `${observed.server.url}/v1`, apiKey: observed.apiKey, maxRetries: 0 });
  observed.upstream.script(sendMessage('From the SDK.'));
  const { data, request_id } = await client.chat.completions
    .create(ask() as OpenAI.ChatCompletionCreateParamsNonStreaming)
    .withResponse();
  expect(request_id).toMatch(UUID);
  expect((data as typeof data & { _request_id?: string | null })._request_id).toBe(request_id);
  expect(observed.upstream.requests.at(-1)?.headers['x-request-id']).toBe(request_id);

  observed.upstream.script(sendMessage('Streamed.'));
  const stream = await client.chat.completions
    .create({ ...(ask() as OpenAI.ChatCompletionCreateParamsNonStreaming), stream: true })
    .withResponse();
  expect(stream.request_id).toMatch(UUID);
  for await (const _chunk of stream.data) {
    // drain
  }
});

it('echoes the id on GraphQL and puts it in error extensions', async () => {
  observed.upstream.script(sendMessage('Over GraphQL.'));
  const input = { agentId: observed.agentId, messages: [{ role: 'user', content: 'Hi' }] };
  const ok = await graphql(observed, CHAT_MUTATION, { input }, { 'x-request-id': 'gql-1' });
  expect(ok.response.headers.get('x-request-id')).toBe('gql-1');
  expect(observed.upstream.requests.at(-1)?.headers['x-request-id']).toBe('gql-1');

  const refused = await graphql(observed, CHAT_MUTATION, { input: { ...input, agentId: 'agent-nope' } });
  const id = refused.response.headers.get('x-request-id');
  expect(id).toMatch(UUID);
  expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', request_id: id });

  const sse = await fetch(`${observed.server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${observed.apiKey}`,
      'x-request-id': 'gql-sse',
    },
    body: JSON.stringify({ query: 'query { agents { id } }' }),
  });
  expect(sse.headers.get('x-request-id')).toBe('gql-sse');
  await sse.text();
});

it('puts trace_id in chat-channel frames: the turn id sent upstream and in error.request_id', async () => {
  const wsUrl = `${observed.server.url.replace('http', 'ws')}/v1/chat/ws`;
  const client = await ChannelClient.connect(wsUrl, {
    apiKey: observed.apiKey,
    ws: { headers: { 'x-request-id': 'conn-7', authorization: `Bearer ${observed.apiKey}` } },
  });
  try {
    observed.upstream.script(sendMessage('Hello over ws, with several chunks.'));
    client.create('r1', { ...ask(), stream: true });
    const outcome = await client.outcome('r1');
    const done = outcome.terminal as CompletionDoneFrame;
    expect(done.trace_id).toBe('conn-7.1');
    const chunkFrames = client.frames.filter((frame) => frame.type === 'chat.completion.chunk');
    expect(chunkFrames.length).toBeGreaterThan(0);
    for (const frame of chunkFrames) expect(frame).toMatchObject({ request_id: 'r1', trace_id: 'conn-7.1' });
    expect(observed.upstream.requests.at(-1)?.headers['x-request-id']).toBe('conn-7.1');

    observed.upstream.script({ error: { status: 500 } });
    client.create('r2', ask());
    const failed = (await client.outcome('r2')).terminal;
    expect(failed).toMatchObject({ type: 'error', request_id: 'r2', error: { request_id: 'conn-7.2' } });
  } finally {
    client.socket.close();
    await client.closed;
  }
});
