import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { echoResponder, type MockUpstream, sendMessage, startMockUpstream } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from './postgres-schema.ts';
import { newcomerEnv, type ServerProcess, startServerProcess } from './server-process.ts';

const databaseUrl = process.env['DATABASE_URL'];
const redisUrl = process.env['REDIS_URL'];
const ADMIN_TOKEN = 'admin-token-for-limits-scale-out';

/** Limits hold across instances: two servers on one PostgreSQL and one Redis share their counters. */
describe.skipIf(!databaseUrl || !redisUrl)('limits across two instances (PostgreSQL + Redis)', () => {
  let schema: TestSchema;
  let upstream: MockUpstream;
  const servers: ServerProcess[] = [];
  const dataDirs: string[] = [];
  let key: string;
  let userId: string;
  let agentId: string;

  beforeAll(async () => {
    schema = await createTestSchema(databaseUrl!);
    upstream = await startMockUpstream({
      // A turn asking to be slow takes a second upstream, so that it overlaps turns on the other instance.
      defaultResponder: (request) =>
        JSON.stringify(request.body.messages.at(-1)).includes('slowly')
          ? { ...sendMessage('Slow answer.'), delayMs: 1000 }
          : echoResponder(request),
    });
    const env = () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'memgate-limits-scale-'));
      dataDirs.push(dataDir);
      return newcomerEnv(dataDir, {
        DATABASE_URL: schema.databaseUrl,
        REDIS_URL: redisUrl!,
        MEMGATE_LLM_BASE_URL: upstream.url,
        MEMGATE_LLM_API_KEY: 'sk-test',
        MEMGATE_ADMIN_TOKEN: ADMIN_TOKEN,
        // Every user without limits of their own: 3 turns a minute, counted on both instances together.
        MEMGATE_DEFAULT_RPM: '3',
      });
    };
    servers.push(await startServerProcess(env()));
    servers.push(await startServerProcess(env()));
    key = servers.map((server) => server.printedKey).find((printed) => printed !== null)!;
    const users = (await call(0, 'GET', '/v1/admin/users', ADMIN_TOKEN)).body as {
      data: { id: string; name: string }[];
    };
    userId = users.data.find((user) => user.name === 'default')!.id;
    agentId = ((await call(0, 'POST', '/v1/agents', key, {})).body as { id: string }).id;
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(servers.map((server) => server.stop('SIGKILL')));
    await upstream?.close().catch(() => undefined);
    await schema?.drop();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  async function call(on: number, method: string, path: string, token: string, body?: unknown) {
    const response = await fetch(`${servers[on]!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as unknown };
  }

  const chat = (on: number, content = 'hello') =>
    call(on, 'POST', '/v1/chat/completions', key, { model: agentId, messages: [{ role: 'user', content }] });

  it('shares the rpm (here the MEMGATE_DEFAULT_RPM) between instances; a change on one reaches the other', async () => {
    expect((await chat(0)).status).toBe(200);
    expect((await chat(1)).status).toBe(200);
    expect((await chat(0)).status).toBe(200);
    for (const on of [1, 0]) {
      const refused = await chat(on);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.body).toMatchObject({ error: { code: 'rate_limited' } });
    }
    // Set on instance 0; instance 1 forgets its cached limits through Redis and counts against the new ones.
    expect((await call(0, 'PUT', `/v1/admin/users/${userId}/limits`, ADMIN_TOKEN, { rpm: 4 })).status).toBe(200);
    let admitted = 0;
    const deadline = Date.now() + 5000;
    while (admitted === 0 && Date.now() < deadline) {
      const answer = await chat(1);
      if (answer.status === 200) admitted++;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(admitted).toBe(1);
    expect((await chat(0)).status).toBe(429);
  });

  it('shares concurrency slots: a turn running on one instance refuses a second on the other', async () => {
    await call(0, 'PUT', `/v1/admin/users/${userId}/limits`, ADMIN_TOKEN, { max_concurrent_turns: 1 });
    // Wait until instance 1 has forgotten the rpm limit of the test before.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const limits = (await call(1, 'GET', '/v1/limits', key)).body as { user: { limits: { rpm: number | null } } };
      if (limits.user.limits.rpm === null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const slow = chat(0, 'answer slowly');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Refused before it would wait for the conversation's lock.
    const other = await chat(1);
    expect(other.status).toBe(429);
    expect(other.body).toMatchObject({ error: { code: 'concurrency_limited' } });
    expect((await slow).status).toBe(200);
    expect((await chat(1)).status).toBe(200);
  });
});
