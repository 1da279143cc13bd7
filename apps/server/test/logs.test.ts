import type { CompletionDoneFrame } from '@memgate/core';
import { sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChannelClient } from '../../ws/test/channel-client.ts';
import {
  CHAT_MUTATION,
  eventually,
  graphql,
  type ObservedServer,
  startObservedServer,
} from './observability-harness.ts';

const SECRET_CONTENT = 'my secret diary entry 7f3a';
const UPSTREAM_KEY = 'upstream-test-key';

let observed: ObservedServer;
beforeAll(async () => {
  observed = await startObservedServer();
});
afterAll(() => observed.close());

function chat(body: Record<string, unknown>, apiKey = observed.apiKey) {
  return fetch(`${observed.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({
      model: 'mock-model',
      user: observed.agentId,
      messages: [{ role: 'user', content: SECRET_CONTENT }],
      ...body,
    }),
  });
}

it('writes request, turn and upstream-failure lines on every protocol, and never a key or message content', async () => {
  const { upstream, agentId } = observed;
  upstream.script(sendMessage(`Reply quoting ${SECRET_CONTENT}`));
  expect((await chat({})).status).toBe(200);
  upstream.script(sendMessage('Streamed reply.'));
  await (await chat({ stream: true })).text();
  // A failing upstream (its error body echoes the upstream key) and a bad memgate key.
  upstream.script({ error: { status: 500, body: { error: { message: `boom for ${UPSTREAM_KEY}` } } } });
  expect((await chat({})).status).toBe(502);
  expect((await chat({}, 'mg-not-a-real-key-123456')).status).toBe(401);
  expect((await chat({}, observed.apiKey.slice(0, -2) + 'xx')).status).toBe(401);

  upstream.script(sendMessage('Over GraphQL.'));
  const input = { agentId, messages: [{ role: 'user', content: SECRET_CONTENT }] };
  const answered = await graphql(observed, CHAT_MUTATION, { input });
  expect(answered.body.errors).toBeUndefined();

  upstream.script(sendMessage('Over the chat channel.'));
  const wsUrl = `${observed.server.url.replace('http', 'ws')}/v1/chat/ws`;
  const client = await ChannelClient.connect(wsUrl, { apiKey: observed.apiKey });
  client.create('r1', { model: 'mock-model', user: agentId, messages: [{ role: 'user', content: SECRET_CONTENT }] });
  expect(((await client.outcome('r1')).terminal as CompletionDoneFrame).status).toBe('completed');
  client.socket.close();
  await client.closed;

  await eventually(() => observed.lines().some((line) => line['protocol'] === 'ws' && line.msg === 'request'));
  const lines = observed.lines();
  for (const line of observed.raw) {
    expect(line).not.toContain(observed.apiKey);
    expect(line).not.toContain(observed.otherApiKey);
    expect(line).not.toContain(UPSTREAM_KEY);
    expect(line).not.toContain('mg-not-a-real-key-123456');
  }
  // Message content never at info (nor at warn/error in these lines).
  for (const line of lines) expect(JSON.stringify(line)).not.toContain(SECRET_CONTENT);

  const turns = lines.filter((line) => line.msg === 'turn' && line['outcome'] !== 'upstream_error');
  expect(new Set(turns.map((line) => line['protocol']))).toEqual(new Set(['rest', 'graphql', 'ws']));
  for (const turn of turns) {
    expect(turn).toMatchObject({ level: 30, agentId, outcome: 'completed', steps: 1, upstreamCalls: 1 });
    expect(turn['requestId']).toEqual(expect.any(String));
    expect(turn['promptTokens']).toBeGreaterThan(0);
  }

  const failure = lines.find((line) => line.msg === 'upstream call failed');
  const host = new URL(upstream.url).host;
  expect(failure).toMatchObject({ level: 50, status: 500, upstreamHost: host, attempt: 1, purpose: 'step' });
  const failedTurn = lines.find((line) => line.msg === 'turn' && line['outcome'] === 'upstream_error');
  expect(failedTurn?.['requestId']).toBe(failure?.['requestId']);

  const requests = lines.filter((line) => line.msg === 'request');
  const restChat = requests.filter((line) => line['path'] === '/v1/chat/completions');
  expect(restChat.map((line) => line['status'])).toEqual([200, 200, 502, 401, 401]);
  expect(restChat[0]).toMatchObject({ protocol: 'rest', method: 'POST', agentId, userId: expect.any(String) });
  expect(restChat[0]?.['route']).toBe('/v1/chat/completions');
  // Refused before any route matched: no user, and no raw path as a route.
  expect(restChat[3]).toMatchObject({ route: 'unmatched', userId: null });
  expect(restChat[0]?.['durationMs']).toEqual(expect.any(Number));
  const graphqlLine = requests.find((line) => line['protocol'] === 'graphql');
  expect(graphqlLine).toMatchObject({ method: 'POST', route: '/graphql', status: 200, agentId });
  expect(graphqlLine?.['operation']).toBe('mutation Chat');
  const wsLine = requests.find((line) => line['protocol'] === 'ws');
  expect(wsLine).toMatchObject({ method: 'WS', route: '/v1/chat/ws', status: 1005, userId: expect.any(String) });
  // Every line of a request carries its id: the turn line and the request line agree.
  const restTurn = turns.find((line) => line['protocol'] === 'rest');
  expect(restChat.map((line) => line['requestId'])).toContain(restTurn?.['requestId']);
});
