import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Store } from '@memgate/core';
import { PostgresStore } from '@memgate/store-postgres';
import { SqliteStore } from '@memgate/store-sqlite';
import {
  type ChatRequestBody,
  createTestMemgate,
  echoResponder,
  type MockUpstream,
  type ScriptedResponse,
  sendMessage,
  startMockUpstream,
  type TestMemgate,
} from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MemgateServer, startMemgateServer } from '../src/index.ts';
import { createTestSchema, type TestSchema } from './postgres-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
const ADMIN_TOKEN = 'admin-token-for-usage';

/** A usage row as the stores keep it, read straight from the database. */
type UsageRow = {
  user_id: string;
  key_id: string | null;
  agent_id: string | null;
  conversation_id: string | null;
  model: string;
  provider: string;
  purpose: string;
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  cost_usd: number | null;
  outcome: string;
};

/** A store to run the server on, and a way to read its usage rows behind memgate's back. */
interface Backend {
  store: Store;
  rows(): Promise<UsageRow[]>;
  close(): Promise<void>;
}

const ROW_COLUMNS =
  'user_id, key_id, agent_id, conversation_id, model, provider, purpose, prompt_tokens, cached_tokens, ' +
  'completion_tokens, cost_usd, outcome';

async function sqliteBackend(): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-usage-'));
  return {
    store: SqliteStore.open(dataDir),
    async rows() {
      const db = new DatabaseSync(join(dataDir, 'memgate.sqlite'), { readOnly: true });
      try {
        return db.prepare(`SELECT ${ROW_COLUMNS} FROM usage_records ORDER BY at, rowid`).all() as unknown as UsageRow[];
      } finally {
        db.close();
      }
    },
    async close() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  const schema: TestSchema = await createTestSchema(databaseUrl!);
  return {
    store: new PostgresStore({ connectionString: schema.databaseUrl }),
    rows: () => schema.query<UsageRow>(`SELECT ${ROW_COLUMNS} FROM usage_records ORDER BY at, id`),
    close: () => schema.drop(),
  };
}

const BACKENDS: [string, () => Promise<Backend>, boolean][] = [
  ['sqlite', sqliteBackend, false],
  ['postgres', postgresBackend, !databaseUrl],
];

interface ChatResponse {
  status: number;
  body: {
    usage?: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: { cached_tokens: number } };
    error?: { code: string };
  } & Record<string, unknown>;
}

interface UsageReportBody {
  group_by: string;
  from: string;
  to: string;
  user_id: string | null;
  data: ({ key: string | null } & Totals)[];
  totals: Totals;
  error?: { code: string; param?: string };
}

interface Totals {
  calls: number;
  failed_calls: number;
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_usd: number;
}

/** The upstream's refusal of a prompt over its window, as OpenAI words it. */
const overflow: ScriptedResponse = {
  error: {
    status: 400,
    body: {
      error: {
        message: "This model's maximum context length is 4000 tokens. However, your messages resulted in 5000 tokens.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    },
  },
};

const isSummaryRequest = (body: ChatRequestBody) => !body.tools?.length;

/** Waits until `check` holds: what a turn does after its client left is not on the client's clock. */
async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Condition not met in time.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(BACKENDS)('usage records on %s', (_name, openBackend, skip) => {
  let backend: Backend;
  let upstream: MockUpstream;
  let test: TestMemgate;
  let server: MemgateServer;
  let aliceId: string;
  let aliceKeyId: string;

  async function call(method: string, path: string, key: string | null, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
  }

  const chat = (agentId: string, content: string, extra: Record<string, unknown> = {}): Promise<ChatResponse> =>
    call('POST', '/v1/chat/completions', test.apiKey, {
      model: agentId,
      messages: [{ role: 'user', content }],
      ...extra,
    });

  const usage = (query: string, key: string | null = test.apiKey): Promise<{ status: number; body: UsageReportBody }> =>
    call('GET', `/v1/usage${query}`, key);

  const createAgent = async (body: Record<string, unknown> = {}) =>
    ((await call('POST', '/v1/agents', test.apiKey, body)) as { body: { id: string } }).body.id;

  beforeAll(async () => {
    if (skip) return;
    backend = await openBackend();
    upstream = await startMockUpstream();
    test = await createTestMemgate({
      store: backend.store,
      upstreamUrl: upstream.url,
      adminToken: ADMIN_TOKEN,
      embeddingModel: 'mock-embedding',
    });
    server = await startMemgateServer({ memgate: test.memgate, port: 0 });
    const users = await test.memgate.admin.listUsers();
    aliceId = users.find((user) => user.name === 'alice')!.id;
    const keys = await test.memgate.admin.listApiKeys(aliceId);
    // The full-scope key made first (the test's apiKey); the read key came after it.
    aliceKeyId = keys.find((key) => key.scope === 'full')!.id;
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

  it.skipIf(skip)(
    'sums to the usage of the responses over turns with heartbeats, a summary and a failed attempt',
    async () => {
      const agentId = await createAgent({ name: 'counted' });
      const before = (await usage('')).body.totals;
      const answered: NonNullable<ChatResponse['body']['usage']>[] = [];
      const turn = async (content: string) => {
        const result = await chat(agentId, content);
        expect(result.status).toBe(200);
        answered.push(result.body.usage!);
      };
      // Plain turns, with cached prompt tokens on one.
      for (let index = 1; index <= 4; index++) {
        upstream.script(
          sendMessage(`About the sea, part ${index}.`, {
            ...(index === 2 && { usage: { prompt_tokens_details: { cached_tokens: 12 } } }),
          }),
        );
        await turn(`Turn ${index}: tell me about ${'the sea, '.repeat(40)}`);
      }
      // A heartbeat chain: three upstream calls in one turn.
      upstream.script(
        sendMessage('Thinking…', { requestHeartbeat: true }),
        sendMessage('Still thinking…', { requestHeartbeat: true }),
        sendMessage('Done.'),
      );
      await turn('Think twice.');
      // The upstream refuses the prompt as too long: memgate summarises and tries again.
      upstream.script(overflow);
      upstream.setDefault((request) =>
        isSummaryRequest(request.body) ? { content: 'The user talked about the sea.' } : echoResponder(request),
      );
      await turn('One more thing.');
      const summaries = upstream.requests.filter((request) => isSummaryRequest(request.body));
      expect(summaries.length).toBeGreaterThan(0);

      const after = (await usage('')).body.totals;
      const sum = (pick: (entry: NonNullable<ChatResponse['body']['usage']>) => number) =>
        answered.reduce((total, entry) => total + pick(entry), 0);
      expect(after.calls - before.calls).toBe(upstream.requests.length);
      expect(after.failed_calls - before.failed_calls).toBe(1);
      expect(after.prompt_tokens - before.prompt_tokens).toBe(sum((entry) => entry.prompt_tokens));
      expect(after.completion_tokens - before.completion_tokens).toBe(sum((entry) => entry.completion_tokens));
      expect(after.cached_tokens - before.cached_tokens).toBe(12);
      expect(sum((entry) => entry.prompt_tokens_details?.cached_tokens ?? 0)).toBe(12);

      // Per agent, this agent's calls are exactly these; the rows say which were summaries and which failed.
      const byAgent = (await usage('?group_by=agent')).body.data.find((group) => group.key === agentId)!;
      expect(byAgent.calls).toBe(upstream.requests.length);
      const rows = (await backend.rows()).filter((row) => row.agent_id === agentId);
      expect(rows.filter((row) => row.purpose === 'summary')).toHaveLength(summaries.length);
      expect(rows.filter((row) => row.outcome !== 'ok').map((row) => [row.purpose, row.outcome])).toEqual([
        ['step', 'context_length_exceeded'],
      ]);
      for (const row of rows) {
        expect(row).toMatchObject({
          user_id: aliceId,
          key_id: aliceKeyId,
          conversation_id: agentId,
          model: 'mock-model',
          provider: 'default',
          // The mock upstream's model has no price.
          cost_usd: null,
        });
      }
    },
  );

  it.skipIf(skip)('records a failed call with its outcome, and a turn that stored nothing', async () => {
    const agentId = await createAgent({ name: 'failing' });
    upstream.script({ error: { status: 500 } });
    expect((await chat(agentId, 'Hello?')).status).toBe(502);
    upstream.script({ error: { status: 429, headers: { 'retry-after': '7' } } });
    expect((await chat(agentId, 'Hello again?')).status).toBe(429);
    upstream.script(sendMessage('Not kept.'));
    expect((await chat(agentId, 'Forget this.', { store: false })).status).toBe(200);
    const rows = (await backend.rows()).filter((row) => row.agent_id === agentId);
    expect(rows.map((row) => [row.purpose, row.outcome, row.prompt_tokens > 0])).toEqual([
      ['step', 'upstream_error', false],
      ['step', 'rate_limited', false],
      ['step', 'ok', true],
    ]);
    const byAgent = (await usage('?group_by=agent')).body.data.find((group) => group.key === agentId)!;
    expect(byAgent).toMatchObject({ calls: 3, failed_calls: 2 });
  });

  it.skipIf(skip)('records a streamed call the client left as cancelled', async () => {
    const agentId = await createAgent({ name: 'left' });
    upstream.script({ hang: true });
    const leave = new AbortController();
    const streamed = fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${test.apiKey}` },
      body: JSON.stringify({ model: agentId, stream: true, messages: [{ role: 'user', content: 'Wait.' }] }),
      signal: leave.signal,
    }).then((response) => response.text());
    await until(async () => upstream.activeRequests() > 0);
    leave.abort();
    await expect(streamed).rejects.toThrow();
    await upstream.waitForAbort();
    const recorded = async () => (await backend.rows()).filter((row) => row.agent_id === agentId);
    await until(async () => (await recorded()).length > 0);
    expect((await recorded()).map((row) => [row.purpose, row.outcome])).toEqual([['step', 'cancelled']]);
  });

  it.skipIf(skip)('records embedding calls of archival memory, in a turn and through the API', async () => {
    const agentId = await createAgent({ name: 'remembering' });
    upstream.script(
      {
        toolCalls: [
          { name: 'archival_memory_insert', arguments: { content: 'The sea is blue.', request_heartbeat: true } },
        ],
      },
      sendMessage('Noted.'),
    );
    expect((await chat(agentId, 'Remember that the sea is blue.')).status).toBe(200);
    const inserted = await call('POST', `/v1/agents/${agentId}/archival`, test.apiKey, { content: 'Waves.' });
    expect(inserted.status).toBe(201);
    expect(upstream.embeddingRequests).toHaveLength(2);
    for (const request of upstream.embeddingRequests) {
      expect(request.headers['x-memgate-user']).toBe(aliceId);
      expect(request.headers['x-memgate-agent']).toBe(agentId);
    }
    const rows = (await backend.rows()).filter((row) => row.agent_id === agentId && row.purpose === 'embedding');
    expect(rows.map((row) => [row.model, row.conversation_id, row.outcome])).toEqual([
      ['mock-embedding', agentId, 'ok'],
      ['mock-embedding', null, 'ok'],
    ]);
    expect(rows.every((row) => row.prompt_tokens > 0 && row.completion_tokens === 0)).toBe(true);
  });

  it.skipIf(skip)('records the summaries of a smaller context window as the PATCH’s key’s', async () => {
    const agentId = await createAgent({ name: 'shrinking', context_window: 32_000 });
    for (let index = 0; index < 4; index++) {
      upstream.script(sendMessage(`Reply ${index}.`));
      const long = `Message ${index}: ${'words to remember '.repeat(60)}`;
      expect((await chat(agentId, long)).status).toBe(200);
    }
    const calls = upstream.requests.length;
    upstream.setDefault(() => ({ content: 'The user sent four long messages about words.' }));
    const patched = await call('PATCH', `/v1/agents/${agentId}`, test.apiKey, { context_window: 1024 });
    expect(patched.status).toBe(200);
    const summaries = upstream.requests.slice(calls);
    expect(summaries.length).toBeGreaterThan(0);
    for (const request of summaries) expect(request.headers['x-memgate-agent']).toBe(agentId);
    const rows = (await backend.rows()).filter((row) => row.agent_id === agentId && row.purpose === 'summary');
    expect(rows).toHaveLength(summaries.length);
    expect(rows.every((row) => row.key_id === aliceKeyId && row.outcome === 'ok')).toBe(true);
  });

  it.skipIf(skip)('sends who the call is for upstream, keeping a client’s own safety_identifier', async () => {
    const agentId = await createAgent({ name: 'identified' });
    upstream.script(sendMessage('Hi.'), sendMessage('Hi again.'));
    expect((await chat(agentId, 'Hello')).status).toBe(200);
    expect((await chat(agentId, 'Hello', { safety_identifier: 'client-chosen' })).status).toBe(200);
    const [first, second] = upstream.requests;
    const hashed = createHash('sha256').update(`${aliceId}:${agentId}`).digest('hex').slice(0, 32);
    expect(first?.body['safety_identifier']).toBe(hashed);
    expect(JSON.stringify(first?.body)).not.toContain(aliceId);
    expect(second?.body['safety_identifier']).toBe('client-chosen');
    for (const request of [first, second]) {
      expect(request?.headers['x-memgate-user']).toBe(aliceId);
      expect(request?.headers['x-memgate-agent']).toBe(agentId);
    }
  });

  it.skipIf(skip)('groups by agent, key, model and day, over the range asked, and refuses bad queries', async () => {
    const agentId = await createAgent({ name: 'grouped' });
    upstream.script(sendMessage('One.'));
    expect((await chat(agentId, 'One')).status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);

    const byDay = (await usage('')).body;
    expect(byDay.group_by).toBe('day');
    expect(byDay.data.map((group) => group.key)).toContain(today);
    expect(Date.parse(byDay.to) - Date.parse(byDay.from)).toBe(30 * 24 * 60 * 60 * 1000);
    const byKey = (await usage('?group_by=key')).body.data;
    expect(byKey.map((group) => group.key)).toEqual([aliceKeyId]);
    const byModel = (await usage('?group_by=model')).body.data;
    expect(byModel.map((group) => group.key)).toContain('mock-model');
    // A day given as `to` is included whole; a range that ends before today has nothing.
    const withToday = (await usage(`?from=${today}&to=${today}`)).body;
    expect(withToday.totals.calls).toBe(byDay.totals.calls);
    expect((await usage('?from=2020-01-01&to=2020-12-31')).body.totals.calls).toBe(0);
    expect((await usage('?from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00%2B02:00')).body.totals.calls).toBe(
      byDay.totals.calls,
    );

    for (const query of [
      '?group_by=user',
      '?from=yesterday',
      '?from=2026-02-30',
      '?from=2026-03-02&to=2026-03-01',
      '?group_by=day&group_by=agent',
      '?limit=5',
    ]) {
      const refused = await usage(query);
      expect(refused.status, query).toBe(422);
    }
    expect((await usage('', null)).status).toBe(401);
  });

  it.skipIf(skip)("never shows another user's usage; the admin sees everyone's, or one user's", async () => {
    const agentId = await createAgent({ name: 'private' });
    upstream.script(sendMessage('Mine.'));
    expect((await chat(agentId, 'Mine')).status).toBe(200);
    const alice = (await usage('?group_by=agent')).body;
    const bob = (await usage('?group_by=agent', test.otherApiKey)).body;
    expect(bob.totals.calls).toBe(0);
    expect(bob.data).toEqual([]);
    expect(bob.user_id).not.toBe(aliceId);

    const admin = (query: string, token: string | null = ADMIN_TOKEN) =>
      call('GET', `/v1/admin/usage${query}`, token) as Promise<{ status: number; body: UsageReportBody }>;
    const everyone = await admin('?group_by=agent');
    expect(everyone.status).toBe(200);
    expect(everyone.body.user_id).toBeNull();
    expect(everyone.body.data.find((group) => group.key === agentId)?.calls).toBe(1);
    const onlyAlice = await admin(`?group_by=agent&user_id=${aliceId}`);
    expect(onlyAlice.body.totals).toEqual(alice.totals);
    expect((await admin('?user_id=nobody')).status).toBe(404);
    expect((await admin('?group_by=user')).status).toBe(422);
    expect((await admin('', test.apiKey)).status).toBe(401);
  });

  it.skipIf(skip)('answers the caller’s usage on GraphQL, with the same sums and the same refusals', async () => {
    const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${test.apiKey}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as {
        data?: { usage: { groupBy: string; groups: { key: string | null; calls: number }[]; totals: Totals } };
        errors?: { extensions: { code: string } }[];
      };
    };
    const agentId = await createAgent({ name: 'graphql' });
    upstream.script(sendMessage('Counted.'));
    expect((await chat(agentId, 'Count me')).status).toBe(200);
    const rest = (await usage('?group_by=agent')).body;
    const answer = await graphql(
      `query Usage($from: String) {
        usage(groupBy: agent, from: $from) {
          groupBy groups { key calls } totals { calls promptTokens completionTokens totalTokens costUsd }
        }
      }`,
      { from: rest.from },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.usage.groupBy).toBe('agent');
    expect(answer.data?.usage.groups).toEqual(rest.data.map((group) => ({ key: group.key, calls: group.calls })));
    expect(answer.data?.usage.totals).toEqual({
      calls: rest.totals.calls,
      promptTokens: rest.totals.prompt_tokens,
      completionTokens: rest.totals.completion_tokens,
      totalTokens: rest.totals.total_tokens,
      costUsd: rest.totals.cost_usd,
    });
    const refused = await graphql('{ usage(from: "yesterday") { totals { calls } } }');
    expect(refused.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});
