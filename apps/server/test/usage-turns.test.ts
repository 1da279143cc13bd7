import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Store } from '@memgate/core';
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
import { type MemgateServer, startMemgateServer } from '../src/index.ts';
import { createTestSchema } from './postgres-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
const ADMIN_TOKEN = 'admin-token-for-usage-turns';

/** The columns of a usage row this test reads behind memgate's back. */
type TurnRow = { agent_id: string | null; purpose: string; turn_id: string | null };
const ROW_SQL = 'SELECT agent_id, purpose, turn_id FROM usage_records';

interface Backend {
  store: Store;
  rows(agentId: string): Promise<TurnRow[]>;
  close(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-usage-turns-'));
  return {
    store: SqliteStore.open(dataDir),
    async rows(agentId) {
      const db = new DatabaseSync(join(dataDir, 'memgate.sqlite'), { readOnly: true });
      try {
        return db.prepare(`${ROW_SQL} WHERE agent_id = ? ORDER BY at, rowid`).all(agentId) as unknown as TurnRow[];
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
  const schema = await createTestSchema(databaseUrl!);
  return {
    store: new PostgresStore({ connectionString: schema.databaseUrl }),
    rows: (agentId) => schema.query<TurnRow>(`${ROW_SQL} WHERE agent_id = $1 ORDER BY at, id`, [agentId]),
    close: () => schema.drop(),
  };
}

const BACKENDS: [string, () => Promise<Backend>, boolean][] = [
  ['sqlite', sqliteBackend, false],
  ['postgres', postgresBackend, !databaseUrl],
];

interface Group {
  key: string | null;
  calls: number;
  turns: number;
}
interface Report {
  data: Group[];
  totals: { calls: number; turns: number };
}
interface GraphqlUsage {
  groups: Group[];
  totals: { calls: number; turns: number };
}

/** A step that edits memory and asks for another step: the turn makes two upstream calls. */
const TOOL_STEP = {
  toolCalls: [
    { name: 'core_memory_append', arguments: { label: 'human', content: 'Likes the sea.', request_heartbeat: true } },
  ],
};

describe.each(BACKENDS)('turns in usage records on %s', (_name, openBackend, skip) => {
  let backend: Backend;
  let upstream: MockUpstream;
  let test: TestMemgate;
  let server: MemgateServer;

  async function call<Body>(method: string, path: string, token: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Body };
  }

  const graphql = async <Data>(query: string, variables: Record<string, unknown> = {}) =>
    (await call<{ data?: Data; errors?: unknown[] }>('POST', '/graphql', test.apiKey, { query, variables })).body;

  const usage = async (query: string) => (await call<Report>('GET', `/v1/usage${query}`, test.apiKey)).body;

  const graphqlUsage = async (groupBy: string) => {
    const answer = await graphql<{ usage: GraphqlUsage }>(
      `{ usage(groupBy: ${groupBy}) { groups { key calls turns } totals { calls turns } } }`,
    );
    expect(answer.errors).toBeUndefined();
    return answer.data!.usage;
  };

  const ofAgent = (report: { data?: Group[]; groups?: Group[] }, agentId: string) =>
    (report.data ?? report.groups ?? []).find((group) => group.key === agentId);

  const createAgent = async (name: string) =>
    (await call<{ id: string }>('POST', '/v1/agents', test.apiKey, { name })).body.id;

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

  it.skipIf(skip)('counts a REST turn with a tool step as 2 calls and 1 turn, on REST and GraphQL', async () => {
    const agentId = await createAgent('stepping');
    upstream.script(TOOL_STEP, sendMessage('Noted.'));
    const turn = await call<{ id: string }>('POST', '/v1/chat/completions', test.apiKey, {
      model: agentId,
      messages: [{ role: 'user', content: 'I like the sea.' }],
    });
    expect(turn.status).toBe(200);
    expect(upstream.requests).toHaveLength(2);
    // Both calls carry the turn's id, which is the id of the completion the client got.
    expect((await backend.rows(agentId)).map((row) => [row.purpose, row.turn_id])).toEqual([
      ['step', turn.body.id],
      ['step', turn.body.id],
    ]);

    const rest = await usage('?group_by=agent');
    expect(ofAgent(rest, agentId)).toMatchObject({ calls: 2, turns: 1 });
    expect(rest.totals).toMatchObject({ calls: 2, turns: 1 });
    // Per day the turn counts once in each day its calls fall in (one day, unless it spans midnight).
    const byDay = await usage('?group_by=day');
    expect(byDay.data.reduce((calls, group) => calls + group.calls, 0)).toBe(2);
    expect(byDay.data.every((group) => group.turns === 1)).toBe(true);
    expect(byDay.totals).toMatchObject({ calls: 2, turns: 1 });

    const byAgent = await graphqlUsage('agent');
    expect(ofAgent(byAgent, agentId)).toEqual({ key: agentId, calls: 2, turns: 1 });
    expect(byAgent.totals).toEqual({ calls: 2, turns: 1 });
    const graphqlByDay = await graphqlUsage('day');
    expect(graphqlByDay.groups).toEqual(byDay.data.map(({ key, calls, turns }) => ({ key, calls, turns })));

    const admin = await call<Report>('GET', '/v1/admin/usage?group_by=agent', ADMIN_TOKEN);
    expect(ofAgent(admin.body, agentId)).toMatchObject({ calls: 2, turns: 1 });
  });

  it.skipIf(skip)('counts a GraphQL turn under its completion id, and an archival insert as no turn', async () => {
    const agentId = await createAgent('counted');
    const before = (await usage('')).totals;
    upstream.script(TOOL_STEP, sendMessage('Noted again.'));
    const turn = await graphql<{ createChatCompletion: { id: string } }>(
      'mutation($input: ChatCompletionInput!) { createChatCompletion(input: $input) { id } }',
      { input: { agentId, messages: [{ role: 'user', content: 'I like waves too.' }] } },
    );
    expect(turn.errors).toBeUndefined();
    const turnId = turn.data!.createChatCompletion.id;
    const inserted = await call('POST', `/v1/agents/${agentId}/archival`, test.apiKey, { content: 'Waves.' });
    expect(inserted.status).toBe(201);

    expect((await backend.rows(agentId)).map((row) => [row.purpose, row.turn_id])).toEqual([
      ['step', turnId],
      ['step', turnId],
      ['embedding', null],
    ]);
    expect(ofAgent(await usage('?group_by=agent'), agentId)).toMatchObject({ calls: 3, turns: 1 });
    expect(ofAgent(await graphqlUsage('agent'), agentId)).toEqual({ key: agentId, calls: 3, turns: 1 });
    const after = (await usage('')).totals;
    expect([after.calls - before.calls, after.turns - before.turns]).toEqual([3, 1]);
  });
});
