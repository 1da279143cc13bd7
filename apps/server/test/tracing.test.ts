import type { CompletionDoneFrame } from '@memgate/core';
import { echoResponder, type ReceivedSpan, RestSetup, sendMessage } from '@memgate/testkit';
import { afterEach, expect, it } from 'vitest';
import { wsClient } from '../../graphql/test/graphql-transport.ts';
import { ChannelClient } from '../../ws/test/channel-client.ts';
import { CHAT_MUTATION } from './observability-harness.ts';
import { spanTree, startTracedServer, type TracedServer, traceparent } from './tracing-harness.ts';

const SECRET = 'my secret diary entry 7f3a';
const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';

let traced: TracedServer | undefined;
afterEach(async () => {
  await traced?.close();
  traced = undefined;
});

function chat(server: TracedServer, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${server.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}`, ...headers },
    body: JSON.stringify({
      model: 'mock-model',
      user: server.agentId,
      messages: [{ role: 'user', content: SECRET }],
      ...body,
    }),
  });
}

const rememberThenReply = () => [
  {
    toolCalls: [
      { name: 'core_memory_append', arguments: { label: 'human', content: SECRET, request_heartbeat: true } },
    ],
  },
  sendMessage(`Noted: ${SECRET}`),
];

/** The spans of a name, in the order they started. */
const named = (spans: ReceivedSpan[], name: string) =>
  spans
    .filter((span) => span.name === name)
    .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));

it('exports turn → lock wait, steps → upstream calls, tools and commits, continuing the client trace', async () => {
  traced = await startTracedServer();
  traced.upstream.script(...rememberThenReply());
  const headers = { 'x-request-id': 'trace-1', traceparent: traceparent(CLIENT_TRACE, CLIENT_SPAN) };
  expect((await chat(traced, {}, headers)).status).toBe(200);
  const upstreamRequests = [...traced.upstream.requests];
  const spans = await traced.stop();

  const [turn, ...others] = named(spans, 'invoke_agent');
  expect(others).toEqual([]);
  expect(turn).toMatchObject({ traceId: CLIENT_TRACE, parentSpanId: CLIENT_SPAN, kind: 2, status: { code: 0 } });
  expect(turn?.attributes).toMatchObject({
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.agent.id': traced.agentId,
    'memgate.agent.id': traced.agentId,
    'memgate.request.id': 'trace-1',
    'memgate.protocol': 'rest',
    'memgate.user.id': expect.any(String),
    'memgate.streaming': false,
    'memgate.outcome': 'completed',
    'memgate.steps': 2,
    'memgate.upstream_calls': 2,
    'gen_ai.response.finish_reasons': ['stop'],
  });
  expect(turn?.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
  expect(turn?.resource['service.name']).toBe('memgate');
  expect(spanTree(spans, turn!)).toEqual([
    'invoke_agent',
    ['memgate.lock.wait'],
    ['memgate.store.commit'],
    ['memgate.step', ['chat mock-model'], ['execute_tool core_memory_append'], ['memgate.store.commit']],
    ['memgate.step', ['chat mock-model'], ['memgate.store.commit']],
  ]);
  for (const span of spans) expect(span.traceId).toBe(CLIENT_TRACE);
  expect(named(spans, 'memgate.step').map((step) => step.attributes['memgate.step'])).toEqual([0, 1]);

  const calls = named(spans, 'chat mock-model');
  // The reply is a send_message call too (MemGPT style): the turn's finish reason is `stop`.
  expect(calls.map((call) => call.attributes['gen_ai.response.finish_reasons'])).toEqual([
    ['tool_calls'],
    ['tool_calls'],
  ]);
  for (const call of calls) {
    expect(call.kind).toBe(3);
    expect(call.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'mock-model',
      'gen_ai.response.model': 'mock-model',
      'server.address': '127.0.0.1',
      'memgate.upstream.purpose': 'step',
      'memgate.upstream.attempt': 1,
    });
    expect(call.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(call.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
  }
  // Each upstream call carried the traceparent of its own span, in the client's trace.
  expect(upstreamRequests.map((request) => request.headers['traceparent'])).toEqual(
    calls.map((call) => traceparent(CLIENT_TRACE, call.spanId)),
  );
  const [tool] = named(spans, 'execute_tool core_memory_append');
  expect(tool?.attributes).toMatchObject({
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'core_memory_append',
    'gen_ai.tool.type': 'function',
    'gen_ai.tool.call.id': expect.any(String),
  });
  // Content stays out of spans unless MEMGATE_TRACE_CONTENT=1.
  expect(JSON.stringify(spans)).not.toContain(SECRET);
  for (const span of spans) {
    for (const key of Object.keys(span.attributes)) {
      expect(key).not.toMatch(/gen_ai\.(input|output)\.messages|gen_ai\.tool\.call\.(arguments|result)/);
    }
  }
});

it('starts a new trace without a client traceparent, and marks failed upstream calls and turns as errors', async () => {
  traced = await startTracedServer();
  traced.upstream.script({ error: { status: 500, body: { error: { message: 'boom' } } } });
  expect((await chat(traced, {})).status).toBe(502);
  // Refused for bad input: a client error, not a failed span.
  expect((await chat(traced, { messages: [] })).status).toBe(422);
  const spans = await traced.stop();

  const [failed, refused] = named(spans, 'invoke_agent');
  expect(failed).toMatchObject({ parentSpanId: '', status: { code: 2 } });
  expect(failed?.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(failed?.traceId).not.toBe(CLIENT_TRACE);
  expect(failed?.attributes).toMatchObject({ 'memgate.outcome': 'upstream_error', 'error.type': 'upstream_error' });
  const [call] = named(spans, 'chat mock-model');
  expect(call).toMatchObject({ traceId: failed?.traceId, status: { code: 2 } });
  expect(call?.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': 'upstream_error' });
  expect(refused?.status.code).toBe(0);
  expect(refused?.attributes).toMatchObject({ 'memgate.outcome': 'bad_user_input', 'error.type': 'bad_user_input' });
});

it('puts messages, replies, tool arguments and results in spans with MEMGATE_TRACE_CONTENT=1', async () => {
  traced = await startTracedServer({ MEMGATE_TRACE_CONTENT: '1' });
  traced.upstream.script(...rememberThenReply());
  const response = await chat(traced, { stream: true });
  expect(response.status).toBe(200);
  await response.text();
  const spans = await traced.stop();

  const [first, second] = named(spans, 'chat mock-model');
  const input = JSON.parse(String(first?.attributes['gen_ai.input.messages'])) as { role: string; parts: unknown[] }[];
  expect(input[0]?.role).toBe('system');
  expect(input.at(-1)).toEqual({ role: 'user', parts: [{ type: 'text', content: SECRET }] });
  const toolCall = JSON.parse(String(first?.attributes['gen_ai.output.messages']));
  expect(toolCall).toEqual([
    {
      role: 'assistant',
      finish_reason: 'tool_calls',
      parts: [
        {
          type: 'tool_call',
          id: expect.any(String),
          name: 'core_memory_append',
          arguments: { label: 'human', content: SECRET, request_heartbeat: true },
        },
      ],
    },
  ]);
  const reply = JSON.parse(String(second?.attributes['gen_ai.output.messages']));
  expect(reply[0].parts[0]).toMatchObject({ type: 'tool_call', name: 'send_message' });
  expect(String(second?.attributes['gen_ai.input.messages'])).toContain('tool_call_response');
  const [tool] = named(spans, 'execute_tool core_memory_append');
  expect(JSON.parse(String(tool?.attributes['gen_ai.tool.call.arguments']))).toMatchObject({ content: SECRET });
  expect(tool?.attributes['gen_ai.tool.call.result']).toEqual(expect.any(String));
  const [turn] = named(spans, 'invoke_agent');
  expect(turn?.attributes['memgate.streaming']).toBe(true);
  expect(turn?.events.map((event) => event.name)).toEqual(['memgate.first_output']);
});

it('continues the client trace on GraphQL over HTTP, graphql-ws and the chat channel (upgrade or message)', async () => {
  traced = await startTracedServer();
  const server = traced;
  const trace = (n: number) => `${String(n).repeat(8)}${'a'.repeat(24)}`;
  const parent = (n: number) => `${String(n).repeat(4)}${'b'.repeat(12)}`;
  const input = { agentId: server.agentId, messages: [{ role: 'user', content: 'Hi' }] };
  const graphqlUrl = `${server.server.url}/graphql`;

  server.upstream.script(sendMessage('Over GraphQL.'));
  const overHttp = await fetch(graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${server.apiKey}`,
      traceparent: traceparent(trace(1), parent(1)),
    },
    body: JSON.stringify({ query: CHAT_MUTATION, variables: { input } }),
  });
  expect(((await overHttp.json()) as { errors?: unknown }).errors).toBeUndefined();

  // graphql-ws: the upgrade's traceparent, which a traceparent in a subscribe message's extensions overrides.
  const upgradeHeaders = { traceparent: traceparent(trace(2), parent(2)) };
  const client = wsClient(graphqlUrl.replace('http', 'ws'), server.apiKey, { headers: upgradeHeaders });
  const run = (extensions?: Record<string, unknown>) =>
    new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: CHAT_MUTATION, variables: { input }, ...(extensions && { extensions }) },
        { next: () => undefined, error: reject, complete: resolve },
      );
    });
  server.upstream.script(sendMessage('Over graphql-ws.'), sendMessage('Again.'));
  await run();
  await run({ traceparent: traceparent(trace(3), parent(3)) });
  await client.dispose();

  server.upstream.script(sendMessage('Over the chat channel.'), sendMessage('Traced by its frame.'));
  const channel = await ChannelClient.connect(`${server.server.url.replace('http', 'ws')}/v1/chat/ws`, {
    apiKey: server.apiKey,
    ws: { headers: { authorization: `Bearer ${server.apiKey}`, traceparent: traceparent(trace(4), parent(4)) } },
  });
  channel.create('r1', { model: 'mock-model', user: server.agentId, messages: [{ role: 'user', content: 'Hi' }] });
  expect(((await channel.outcome('r1')).terminal as CompletionDoneFrame).status).toBe('completed');
  // A browser cannot set headers on the upgrade: a create frame may carry its turn's traceparent.
  const request = { model: 'mock-model', user: server.agentId, messages: [{ role: 'user', content: 'Again' }] };
  channel.send({
    type: 'chat.completion.create',
    request_id: 'r2',
    request,
    traceparent: traceparent(trace(5), parent(5)),
  });
  expect(((await channel.outcome('r2')).terminal as CompletionDoneFrame).status).toBe('completed');
  channel.socket.close();
  await channel.closed;

  const turns = named(await server.stop(), 'invoke_agent');
  expect(turns.map((turn) => [turn.attributes['memgate.protocol'], turn.traceId, turn.parentSpanId])).toEqual([
    ['graphql', trace(1), parent(1)],
    ['graphql', trace(2), parent(2)],
    ['graphql', trace(3), parent(3)],
    ['ws', trace(4), parent(4)],
    ['ws', trace(5), parent(5)],
  ]);
  const upstreamTraces = server.upstream.requests.map(
    (request) => String(request.headers['traceparent']).split('-')[1],
  );
  expect(upstreamTraces).toEqual([trace(1), trace(2), trace(3), trace(4), trace(5)]);
});

it('reports a summary forced by the upstream under the summarise span, and the retried call as attempt 2', async () => {
  traced = await startTracedServer();
  const server = traced;
  const agentId = await new RestSetup(server.server.url, server.apiKey).createAgent({ context_window: 4000 });
  const ask = (content: string) => chat(server, { user: agentId, messages: [{ role: 'user', content }] });
  for (let turn = 1; turn <= 6; turn++) expect((await ask(`Turn ${turn}: tell me about sailing.`)).status).toBe(200);
  const overflow = {
    status: 400,
    body: { error: { message: 'Too long.', type: 'invalid_request_error', code: 'context_length_exceeded' } },
  };
  server.upstream.script({ error: overflow });
  server.upstream.setDefault((request) =>
    request.body.tools?.length ? echoResponder(request) : { content: 'The user asked about sailing.' },
  );
  expect((await ask('One more thing.')).status).toBe(200);
  const spans = await server.stop();

  const turn = named(spans, 'invoke_agent').at(-1)!;
  const [step] = spans.filter((span) => span.parentSpanId === turn.spanId && span.name === 'memgate.step');
  expect(spanTree(spans, step!)).toEqual([
    'memgate.step',
    ['chat mock-model'],
    ['memgate.summarise', ['chat mock-model']],
    // The summary and the window's new start, committed together.
    ['memgate.store.commit'],
    ['chat mock-model'],
    ['memgate.store.commit'],
  ]);
  const calls = spans.filter((span) => span.traceId === turn.traceId && span.name === 'chat mock-model');
  const attributes = named(calls, 'chat mock-model').map((call) => [
    call.attributes['memgate.upstream.purpose'],
    call.attributes['memgate.upstream.attempt'],
    call.status.code,
  ]);
  expect(attributes).toEqual([
    ['step', 1, 2],
    ['summary', 1, 0],
    ['step', 2, 0],
  ]);
});
