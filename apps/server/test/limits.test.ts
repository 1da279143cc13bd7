import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemgate, createProvider, type Limits, type Memgate, type Store } from '@memgate/core';
import { PostgresStore } from '@memgate/store-postgres';
import { SqliteStore } from '@memgate/store-sqlite';
import {
  createTestMemgate,
  type MockUpstream,
  sendMessage,
  startMockUpstream,
  type TestMemgate,
} from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type MemgateServer, startMemgateServer } from '../src/index.ts';
import { createTestSchema, type TestSchema } from './postgres-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
const ADMIN_TOKEN = 'admin-token-for-limits';

interface Backend {
  store: Store;
  close(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-limits-'));
  return { store: SqliteStore.open(dataDir), close: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

async function postgresBackend(): Promise<Backend> {
  const schema: TestSchema = await createTestSchema(databaseUrl!);
  return { store: new PostgresStore({ connectionString: schema.databaseUrl }), close: () => schema.drop() };
}

const BACKENDS: [string, () => Promise<Backend>, boolean][] = [
  ['sqlite', sqliteBackend, false],
  ['postgres', postgresBackend, !databaseUrl],
];

// biome-ignore lint/suspicious/noExplicitAny: the answers of four protocols, read field by field and asserted on.
type Json = Record<string, any>;

interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

/** A user of its own per test (counters are per user and key), with one key and one agent. */
interface Caller {
  userId: string;
  keyId: string;
  key: string;
  agentId: string;
}

/** An HTTP client of one server, with the admin API and each protocol's way to run a turn. */
function clientOf(url: () => string, memgate: () => Memgate) {
  async function call(method: string, path: string, key: string | null, body?: unknown): Promise<Answer> {
    const response = await fetch(`${url()}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
  }
  const admin = (method: string, path: string, body?: unknown) => call(method, `/v1/admin${path}`, ADMIN_TOKEN, body);

  async function newCaller(agent: Json = {}): Promise<Caller> {
    const user = await memgate().admin.createUser({ name: `u${Math.random().toString(36).slice(2, 10)}` });
    const created = await memgate().admin.createApiKey(user.id);
    const agentId = (await call('POST', '/v1/agents', created.key, agent)).body['id'] as string;
    return { userId: user.id, keyId: created.id, key: created.key, agentId };
  }

  const chat = (caller: Caller, extra: Json = {}, key = caller.key) =>
    call('POST', '/v1/chat/completions', key, {
      model: caller.agentId,
      messages: [{ role: 'user', content: 'hello' }],
      ...extra,
    });

  const respond = (caller: Caller, extra: Json = {}) =>
    call('POST', '/v1/responses', caller.key, { model: caller.agentId, input: 'hello', ...extra });

  const graphql = (caller: Caller, query: string, variables: Json = {}) =>
    call('POST', '/graphql', caller.key, { query, variables });

  const graphqlChat = (caller: Caller) =>
    graphql(
      caller,
      'mutation ($input: ChatCompletionInput!) { createChatCompletion(input: $input) { id choices { finishReason stopReason { code message } } } }',
      { input: { agentId: caller.agentId, messages: [{ role: 'user', content: 'hello' }] } },
    );

  /** A chat-channel connection: sends frames, and waits for the frame a predicate picks. */
  async function channel(caller: Caller) {
    const socket = new WebSocket(`${url().replace('http', 'ws')}/v1/chat/ws`, {
      headers: { authorization: `Bearer ${caller.key}` },
    });
    const frames: Json[] = [];
    const waiters: { pick: (frame: Json) => boolean; resolve: (frame: Json) => void }[] = [];
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Json;
      frames.push(frame);
      for (const waiter of [...waiters]) {
        if (!waiter.pick(frame)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const next = (pick: (frame: Json) => boolean) =>
      new Promise<Json>((resolve) => {
        const seen = frames.find(pick);
        if (seen) resolve(seen);
        else waiters.push({ pick, resolve });
      });
    return {
      socket,
      send: (frame: Json) => socket.send(JSON.stringify(frame)),
      next,
      /** The turn's end: its `chat.completion.done` or its `error`. */
      turn(requestId: string) {
        socket.send(
          JSON.stringify({
            type: 'chat.completion.create',
            request_id: requestId,
            request: { model: caller.agentId, messages: [{ role: 'user', content: 'hello' }] },
          }),
        );
        return next(
          (frame) =>
            frame['request_id'] === requestId &&
            (frame['type'] === 'error' || frame['type'] === 'chat.completion.done'),
        );
      },
    };
  }

  const messages = async (caller: Caller) =>
    (await call('GET', `/v1/agents/${caller.agentId}/messages?limit=1000`, caller.key)).body['data'] as Json[];

  return { call, admin, newCaller, chat, respond, graphql, graphqlChat, channel, messages };
}

/** The 429 of a limit, in the contract's shape and OpenAI's, with `Retry-After`. */
function expectLimited(answer: Answer, code: string) {
  expect(answer.status).toBe(429);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(answer.body['error']).toMatchObject({ type: 'rate_limit_error', code, retry_after: retryAfter });
  expect(typeof answer.body['detail']).toBe('string');
}

describe.each(BACKENDS)('limits on %s', (_name, openBackend, skip) => {
  let backend: Backend;
  let upstream: MockUpstream;
  let test: TestMemgate;
  let server: MemgateServer;
  const client = clientOf(
    () => server.url,
    () => test.memgate,
  );
  const { admin, newCaller, chat, respond, graphql, graphqlChat, channel, messages, call } = client;

  beforeAll(async () => {
    if (skip) return;
    backend = await openBackend();
    upstream = await startMockUpstream();
    test = await createTestMemgate({ store: backend.store, upstreamUrl: upstream.url, adminToken: ADMIN_TOKEN });
    server = await startMemgateServer({ memgate: test.memgate, port: 0 });
  }, 30_000);

  afterAll(async () => {
    if (skip) return;
    await server?.close();
    await test?.memgate.close();
    await upstream?.close();
    await backend?.close();
  });

  beforeEach(() => {
    if (!skip) upstream.reset();
  });

  it.skipIf(skip)('refuses bad limits with a 422 naming the field, and changes nothing', async () => {
    const caller = await newCaller();
    const bad: [Json, string][] = [
      [{ rpm: -1 }, 'rpm'],
      [{ rpm: 0 }, 'rpm'],
      [{ rpm: 1.5 }, 'rpm'],
      [{ rpm: 2_000_000 }, 'rpm'],
      [{ tpm: 'many' }, 'tpm'],
      [{ max_concurrent_turns: 0 }, 'max_concurrent_turns'],
      [{ budget: { usd: 5, tokens: 100, period: 'day' } }, 'budget.tokens'],
      [{ budget: { period: 'day' } }, 'budget.usd'],
      [{ budget: { usd: -5, period: 'day' } }, 'budget.usd'],
      [{ budget: { usd: 5, period: 'week' } }, 'budget.period'],
      [{ rpms: 5 }, 'rpms'],
    ];
    for (const [body, field] of bad) {
      const answer = await admin('PUT', `/users/${caller.userId}/limits`, body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify(answer.body['detail'])).toContain(field.split('.').at(-1));
      expect(answer.body['error']['param']).toContain(field.split('.')[0]);
    }
    const keyExempt = await admin('PUT', `/api-keys/${caller.keyId}/limits`, { exempt: true });
    expect(keyExempt.status).toBe(422);
    expect(keyExempt.body['error']['param']).toContain('exempt');
    expect((await admin('GET', `/users/${caller.userId}/limits`)).body).toMatchObject({ limits: null });
    expect((await admin('GET', `/api-keys/${caller.keyId}/limits`)).body).toMatchObject({ limits: null });
    expect((await admin('PUT', '/users/user-unknown/limits', { rpm: 5 })).status).toBe(404);
    expect((await admin('PUT', '/api-keys/key-unknown/limits', { rpm: 5 })).status).toBe(404);
    expect((await call('PUT', `/v1/admin/users/${caller.userId}/limits`, caller.key, { rpm: 5 })).status).toBe(401);
  });

  it.skipIf(skip)('sets, reads and clears limits through the admin API; the caller reads its own', async () => {
    const caller = await newCaller();
    const set = await admin('PUT', `/users/${caller.userId}/limits`, {
      rpm: 30,
      budget: { usd: 2.5, period: 'day' },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      object: 'limits',
      user_id: caller.userId,
      key_id: null,
      limits: { rpm: 30, tpm: null, max_concurrent_turns: null, budget: { usd: 2.5, period: 'day' }, exempt: false },
    });
    await admin('PUT', `/api-keys/${caller.keyId}/limits`, { tpm: 1000 });
    expect((await admin('GET', `/api-keys/${caller.keyId}/limits`)).body).toMatchObject({
      user_id: caller.userId,
      key_id: caller.keyId,
      limits: { tpm: 1000 },
    });
    const own = await call('GET', '/v1/limits', caller.key);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      object: 'limits',
      exempt: false,
      user: {
        user_id: caller.userId,
        source: 'own',
        limits: { rpm: 30 },
        consumption: { requests_last_minute: 0, budget_spent: { usd: 0, tokens: 0 } },
      },
      key: { key_id: caller.keyId, source: 'own', limits: { tpm: 1000 } },
    });
    expect((await chat(caller)).status).toBe(200);
    const after = (await call('GET', '/v1/limits', caller.key)).body;
    expect(after['user']['consumption']['requests_last_minute']).toBe(1);
    expect(after['key']['consumption']['tokens_last_minute']).toBeGreaterThan(0);
    const viaGraphql = await graphql(
      caller,
      '{ limits { exempt userId user { source limits { rpm budget { usd period } } consumption { requestsLastMinute } } key { limits { tpm } } } }',
    );
    expect(viaGraphql.body['data']['limits']).toEqual({
      exempt: false,
      userId: caller.userId,
      user: {
        source: 'own',
        limits: { rpm: 30, budget: { usd: 2.5, period: 'day' } },
        consumption: { requestsLastMinute: 1 },
      },
      key: { limits: { tpm: 1000 } },
    });
    expect((await admin('DELETE', `/users/${caller.userId}/limits`)).status).toBe(204);
    expect((await admin('GET', `/users/${caller.userId}/limits`)).body['limits']).toBeNull();
    expect((await call('GET', '/v1/limits', caller.key)).body['user']).toMatchObject({ source: 'none' });
  });

  it.skipIf(skip)('rpm: refused with 429 rate_limited on every protocol, nothing stored', async () => {
    const caller = await newCaller();
    await admin('PUT', `/users/${caller.userId}/limits`, { rpm: 3 });
    const first = await respond(caller);
    expect(first.status).toBe(200);
    expect((await respond(caller, { previous_response_id: first.body['id'] })).status).toBe(200);
    expect((await chat(caller)).status).toBe(200);
    const stored = (await messages(caller)).length;
    const conversations = async () =>
      ((await call('GET', `/v1/agents/${caller.agentId}/conversations`, caller.key)).body['data'] as Json[]).length;
    const conversationCount = await conversations();
    const requests = upstream.requests.length;

    expectLimited(await chat(caller), 'rate_limited');
    expectLimited(await chat(caller, { stream: true }), 'rate_limited');
    expectLimited(await respond(caller), 'rate_limited');
    expectLimited(await respond(caller, { stream: true }), 'rate_limited');
    // Continuing a response that is not the last of its conversation would fork it: refused before the fork.
    expectLimited(await respond(caller, { previous_response_id: first.body['id'] }), 'rate_limited');
    expect(await conversations()).toBe(conversationCount);
    const viaGraphql = await graphqlChat(caller);
    expect(viaGraphql.body['errors'][0]['extensions']).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      detail: 'rate_limited',
    });
    expect(viaGraphql.body['errors'][0]['extensions']['retryAfter']).toBeGreaterThanOrEqual(1);
    const ws = await channel(caller);
    const refused = await ws.turn('r1');
    expect(refused).toMatchObject({
      type: 'error',
      request_id: 'r1',
      error: { status: 429, code: 'rate_limited', type: 'rate_limit_error' },
    });
    // The connection stays open and answers.
    ws.send({ type: 'ping' });
    expect(await ws.next((frame) => frame['type'] === 'pong')).toEqual({ type: 'pong' });
    expect(ws.socket.readyState).toBe(WebSocket.OPEN);
    ws.socket.close();

    expect((await messages(caller)).length).toBe(stored);
    expect(upstream.requests.length).toBe(requests);
  });

  it.skipIf(skip)('tpm: the tokens of the last minute refuse the next turn', async () => {
    const caller = await newCaller();
    await admin('PUT', `/users/${caller.userId}/limits`, { tpm: 100 });
    upstream.script(sendMessage('Big.', { usage: { prompt_tokens: 150, completion_tokens: 5 } }));
    expect((await chat(caller)).status).toBe(200);
    expectLimited(await chat(caller), 'rate_limited');
    expectLimited(await respond(caller), 'rate_limited');
    expect((await graphqlChat(caller)).body['errors'][0]['extensions']).toMatchObject({ detail: 'rate_limited' });
  });

  it.skipIf(skip)(
    'concurrency: a second turn while one runs is refused; the slot comes back when it ends',
    async () => {
      const caller = await newCaller();
      await admin('PUT', `/users/${caller.userId}/limits`, { max_concurrent_turns: 1 });
      let finish: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        finish = resolve;
      });
      upstream.setDefault(async (request) => {
        await held;
        return sendMessage(`Done: ${request.body.messages.length}`);
      });
      const first = chat(caller);
      await until(async () => upstream.activeRequests() > 0);
      expectLimited(await chat(caller), 'concurrency_limited');
      expectLimited(await respond(caller), 'concurrency_limited');
      expect((await graphqlChat(caller)).body['errors'][0]['extensions']).toMatchObject({
        code: 'RATE_LIMITED',
        detail: 'concurrency_limited',
      });
      const ws = await channel(caller);
      expect(await ws.turn('c1')).toMatchObject({ type: 'error', error: { code: 'concurrency_limited' } });
      expect(ws.socket.readyState).toBe(WebSocket.OPEN);
      finish();
      expect((await first).status).toBe(200);
      expect((await ws.turn('c2'))['type']).toBe('chat.completion.done');
      ws.socket.close();
      upstream.setDefault((request) => sendMessage(`Echo ${request.body.messages.length}`));

      // A streamed turn whose client leaves gives its slot back too.
      upstream.script(sendMessage('A long slow reply, streamed piece by piece.', { chunkSize: 4, chunkDelayMs: 250 }));
      const controller = new AbortController();
      const streamed = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.key}` },
        body: JSON.stringify({ model: caller.agentId, stream: true, messages: [{ role: 'user', content: 'go' }] }),
        signal: controller.signal,
      });
      expect(streamed.status).toBe(200);
      expectLimited(await chat(caller), 'concurrency_limited');
      controller.abort();
      await until(async () => (await chat(caller)).status === 200);
    },
  );

  it.skipIf(skip)('a key’s limits apply on top of its user’s: both must pass', async () => {
    const caller = await newCaller();
    const other = await test.memgate.admin.createApiKey(caller.userId);
    // Counting starts when a limit is set: the user's counts every key's turns from now on.
    await admin('PUT', `/users/${caller.userId}/limits`, { rpm: 2 });
    await admin('PUT', `/api-keys/${caller.keyId}/limits`, { rpm: 1 });
    expect((await chat(caller)).status).toBe(200);
    expectLimited(await chat(caller), 'rate_limited');
    // The user's other key has no limit of its own.
    expect((await chat(caller, {}, other.key)).status).toBe(200);
    // Now the user's limit (2 turns a minute, 2 made) refuses every key.
    expectLimited(await chat(caller, {}, other.key), 'rate_limited');
  });

  it.skipIf(skip)('an exempt user has no limit; the CLI (no key) has none either', async () => {
    const caller = await newCaller();
    await admin('PUT', `/users/${caller.userId}/limits`, { rpm: 1, exempt: true });
    for (let turn = 0; turn < 3; turn++) expect((await chat(caller)).status).toBe(200);
    expect((await call('GET', '/v1/limits', caller.key)).body).toMatchObject({ exempt: true });
    await admin('PUT', `/users/${caller.userId}/limits`, { rpm: 1 });
    expect((await chat(caller)).status).toBe(200);
    expectLimited(await chat(caller), 'rate_limited');
    const cli = { userId: caller.userId };
    const completion = await test.memgate.chat.complete(cli, {
      model: caller.agentId,
      messages: [{ role: 'user', content: 'from the CLI' }],
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it.skipIf(skip)('max_steps_per_turn ends the turn with finish_reason length and its stop reason', async () => {
    const caller = await newCaller({ max_steps_per_turn: 2 });
    const heartbeats = () =>
      upstream.script(
        sendMessage('One…', { requestHeartbeat: true }),
        sendMessage('Two…', { requestHeartbeat: true }),
        sendMessage('Three.'),
      );
    heartbeats();
    const answer = await chat(caller);
    expect(answer.status).toBe(200);
    expect(answer.body['choices'][0]).toMatchObject({
      finish_reason: 'length',
      stop_reason: { code: 'max_steps_per_turn' },
    });
    expect(upstream.requests).toHaveLength(2);
    const history = await messages(caller);
    // Every tool call stored has its result: the turn stopped between steps.
    const calls = history.flatMap((message) => (message['tool_calls'] ?? []).map((call: Json) => call['id']));
    const results = history.filter((message) => message['role'] === 'tool').map((message) => message['tool_call_id']);
    expect(results.sort()).toEqual(calls.sort());

    upstream.reset();
    heartbeats();
    const response = await respond(caller);
    expect(response.body).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_steps_per_turn' },
    });
    upstream.reset();
    heartbeats();
    const streamed = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.key}` },
      body: JSON.stringify({ model: caller.agentId, stream: true, messages: [{ role: 'user', content: 'go' }] }),
    });
    const chunks = (await streamed.text())
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: {'))
      .map((frame) => JSON.parse(frame.slice(6)) as Json);
    const last = chunks.findLast((chunk) => chunk['choices'][0]?.['finish_reason']);
    expect(last?.['choices'][0]).toMatchObject({
      finish_reason: 'length',
      stop_reason: { code: 'max_steps_per_turn' },
    });
    upstream.reset();
    heartbeats();
    expect((await graphqlChat(caller)).body['data']['createChatCompletion']['choices'][0]).toMatchObject({
      finishReason: 'length',
      stopReason: { code: 'max_steps_per_turn' },
    });
    upstream.reset();
    heartbeats();
    const ws = await channel(caller);
    const done = await ws.turn('s1');
    expect(JSON.stringify(done)).toContain('max_steps_per_turn');
    ws.socket.close();
  });

  it.skipIf(skip)('max_tokens_per_turn stops before the call that would go past it', async () => {
    const caller = await newCaller({ max_tokens_per_turn: 100 });
    upstream.script(
      sendMessage('Thinking…', { requestHeartbeat: true, usage: { prompt_tokens: 90, completion_tokens: 20 } }),
      sendMessage('Never asked.'),
    );
    const answer = await chat(caller);
    expect(answer.body['choices'][0]).toMatchObject({
      finish_reason: 'length',
      stop_reason: { code: 'max_tokens_per_turn' },
    });
    expect(answer.body['choices'][0]['message']['content']).toBe('Thinking…');
    expect(upstream.requests).toHaveLength(1);
  });

  it.skipIf(skip)('a token budget reached mid-turn ends it cleanly; the next turn is refused', async () => {
    const caller = await newCaller();
    await admin('PUT', `/users/${caller.userId}/limits`, { budget: { tokens: 150, period: 'day' } });
    const tokens = { usage: { prompt_tokens: 100, completion_tokens: 10 } };
    upstream.script(sendMessage('First.', tokens));
    expect((await chat(caller)).status).toBe(200);
    upstream.script(sendMessage('Working…', { requestHeartbeat: true, ...tokens }), sendMessage('Never asked.'));
    const stopped = await chat(caller);
    expect(stopped.status).toBe(200);
    expect(stopped.body['choices'][0]).toMatchObject({
      finish_reason: 'length',
      stop_reason: { code: 'budget_exceeded' },
    });
    expect(upstream.requests).toHaveLength(2);
    const history = await messages(caller);
    const calls = history.flatMap((message) => (message['tool_calls'] ?? []).map((call: Json) => call['id']));
    const results = history.filter((message) => message['role'] === 'tool').map((message) => message['tool_call_id']);
    expect(results.sort()).toEqual(calls.sort());

    const refused = await chat(caller);
    expectLimited(refused, 'budget_exceeded');
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(24 * 3600);
    expectLimited(await respond(caller), 'budget_exceeded');
    expect((await graphqlChat(caller)).body['errors'][0]['extensions']).toMatchObject({ detail: 'budget_exceeded' });
    const ws = await channel(caller);
    expect(await ws.turn('b1')).toMatchObject({ type: 'error', error: { status: 429, code: 'budget_exceeded' } });
    expect(ws.socket.readyState).toBe(WebSocket.OPEN);
    ws.socket.close();
    expect((await call('GET', '/v1/limits', caller.key)).body['user']['consumption']['budget_spent']).toMatchObject({
      tokens: 220,
    });
  });

  it.skipIf(skip)('usage sums equal the usage of the responses; the WebSocket channel answers usage.get', async () => {
    const caller = await newCaller();
    const answered: Json[] = [];
    for (let turn = 1; turn <= 3; turn++) {
      upstream.script(
        sendMessage(`Turn ${turn}…`, { requestHeartbeat: turn === 2, usage: { prompt_tokens: 40 + turn } }),
        ...(turn === 2 ? [sendMessage('and done.')] : []),
      );
      const answer = await chat(caller);
      expect(answer.status).toBe(200);
      answered.push(answer.body['usage']);
    }
    const report = await call('GET', '/v1/usage?group_by=agent', caller.key);
    const sum = (field: string) => answered.reduce((total, usage) => total + usage[field], 0);
    expect(report.body['totals']).toMatchObject({
      calls: 4,
      prompt_tokens: sum('prompt_tokens'),
      completion_tokens: sum('completion_tokens'),
      total_tokens: sum('total_tokens'),
    });
    const ws = await channel(caller);
    ws.send({ type: 'usage.get', request_id: 'u1', query: { group_by: 'agent' } });
    const frame = await ws.next((candidate) => candidate['request_id'] === 'u1');
    expect(frame['type']).toBe('usage');
    expect({ ...frame['usage'], to: null, from: null }).toEqual({ ...report.body, to: null, from: null });
    ws.send({ type: 'usage.get', request_id: 'u2', query: { group_by: 'week' } });
    expect(await ws.next((candidate) => candidate['request_id'] === 'u2')).toMatchObject({
      type: 'error',
      error: { status: 422, param: 'group_by' },
    });
    ws.send({ type: 'limits.get', request_id: 'l1' });
    expect(await ws.next((candidate) => candidate['request_id'] === 'l1')).toMatchObject({
      type: 'limits',
      limits: { user: { user_id: caller.userId } },
    });
    expect(ws.socket.readyState).toBe(WebSocket.OPEN);
    ws.socket.close();
  });
});

describe('default limits (MEMGATE_DEFAULT_*) and a USD budget', () => {
  let dataDir: string;
  let upstream: MockUpstream;
  let memgate: Memgate;
  let server: MemgateServer;
  const defaults: Limits = { rpm: 2, tpm: null, maxConcurrentTurns: null, budget: null, exempt: false };
  const { admin, newCaller, chat } = clientOf(
    () => server.url,
    () => memgate,
  );

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-limits-usd-'));
    upstream = await startMockUpstream();
    const store = SqliteStore.open(dataDir);
    await store.migrate();
    // A priced model: 1000 USD per million tokens, so 110 tokens cost $0.11.
    const provider = createProvider(
      {
        baseURL: undefined,
        apiKey: undefined,
        model: 'x',
        embeddingModel: undefined,
        timeoutMs: 10_000,
        maxRetries: 0,
      },
      [
        {
          name: 'priced',
          baseURL: upstream.url,
          apiKey: 'sk-test',
          headers: {},
          models: [
            {
              id: 'mock-model',
              contextWindow: 128_000,
              supportsTools: true,
              supportsVision: false,
              inputPrice: 1000,
              outputPrice: 1000,
            },
          ],
        },
      ],
    );
    memgate = createMemgate({ store, provider, adminToken: ADMIN_TOKEN, defaultLimits: defaults });
    server = await startMemgateServer({ memgate, port: 0 });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    await memgate?.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('users without limits of their own get the defaults; their own replace them', async () => {
    const caller = await newCaller();
    expect((await chat(caller)).status).toBe(200);
    expect((await chat(caller)).status).toBe(200);
    expectLimited(await chat(caller), 'rate_limited');
    const own = await newCaller();
    await admin('PUT', `/users/${own.userId}/limits`, { rpm: 5 });
    for (let turn = 0; turn < 3; turn++) expect((await chat(own)).status).toBe(200);
  });

  it('a USD budget stops a turn mid-way, then refuses turns until the next period', async () => {
    const caller = await newCaller();
    await admin('PUT', `/users/${caller.userId}/limits`, { budget: { usd: 0.2, period: 'month' } });
    const tokens = { usage: { prompt_tokens: 100, completion_tokens: 10 } };
    upstream.script(sendMessage('First.', tokens));
    expect((await chat(caller)).status).toBe(200);
    upstream.script(sendMessage('Working…', { requestHeartbeat: true, ...tokens }), sendMessage('Never asked.'));
    const stopped = await chat(caller);
    expect(stopped.body['choices'][0]).toMatchObject({
      finish_reason: 'length',
      stop_reason: { code: 'budget_exceeded' },
    });
    expectLimited(await chat(caller), 'budget_exceeded');
  });
});

/** Waits until `check` holds. */
async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Condition not met in time.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
