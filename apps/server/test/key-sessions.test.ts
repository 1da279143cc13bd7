import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@memgate/core';
import { createRuntime, type Runtime } from '@memgate/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsClient } from '../../graphql/test/graphql-transport.ts';
import { ChannelClient } from '../../ws/test/channel-client.ts';
import { type MemgateServer, startMemgateServer } from '../src/index.ts';
import { createTestSchema, type TestSchema } from './postgres-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
const redisUrl = process.env['REDIS_URL'];
const ADMIN_TOKEN = 'admin-token-for-key-sessions';

/** The fields of admin answers this file reads. */
interface AdminBody {
  id: string;
  key: string;
  error: { code: string };
}

interface Instance {
  runtime: Runtime;
  server: MemgateServer;
}

/** An open graphql-ws connection and the close event it will get. */
interface GraphqlConnection {
  client: ReturnType<typeof wsClient>;
  closed: Promise<{ code: number; reason: string }>;
}

async function openGraphql(url: string, key: string): Promise<GraphqlConnection> {
  const client = wsClient(`${url.replace('http', 'ws')}/graphql`, key, { lazy: false });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    client.on('closed', (event) => {
      const { code, reason } = event as { code: number; reason: string };
      resolve({ code, reason });
    });
  });
  await new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('error', reject);
  });
  return { client, closed };
}

describe.skipIf(!databaseUrl || !redisUrl)('sessions follow their key across instances (PostgreSQL + Redis)', () => {
  let schema: TestSchema;
  const instances: Instance[] = [];
  const dataDirs: string[] = [];

  beforeAll(async () => {
    schema = await createTestSchema(databaseUrl!);
    for (let index = 0; index < 2; index++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'memgate-key-sessions-'));
      dataDirs.push(dataDir);
      const config = loadConfig({
        DATABASE_URL: schema.databaseUrl,
        REDIS_URL: redisUrl,
        MEMGATE_ADMIN_TOKEN: ADMIN_TOKEN,
        MEMGATE_DATA_DIR: dataDir,
      });
      const runtime = await createRuntime(config, { bootstrap: false, env: { LOG_LEVEL: 'silent' } });
      const server = await startMemgateServer({
        memgate: runtime.memgate,
        port: 0,
        observability: runtime.observability,
      });
      instances.push({ runtime, server });
    }
  }, 60_000);

  afterAll(async () => {
    for (const { server, runtime } of instances) {
      await server.close().catch(() => undefined);
      await runtime.close().catch(() => undefined);
    }
    await schema?.drop();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const urlOf = (index: number) => instances[index]!.server.url;

  async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: AdminBody }> {
    const response = await fetch(`${urlOf(0)}/v1/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    // A 204 has no body: its fields are then absent.
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as AdminBody };
  }

  async function newKey(options: Record<string, unknown> = {}): Promise<{ id: string; key: string; userId: string }> {
    const user = await admin('POST', '/users', { name: `user-${Math.random().toString(36).slice(2, 10)}` });
    const created = await admin('POST', `/users/${user.body.id}/api-keys`, options);
    expect(created.status).toBe(201);
    return { id: created.body.id, key: created.body.key, userId: user.body.id };
  }

  const agentsStatus = async (index: number, key: string) =>
    (await fetch(`${urlOf(index)}/v1/agents`, { headers: { authorization: `Bearer ${key}` } })).status;

  it('closes the chat WebSocket and graphql-ws on instance B with 4401 when instance A revokes the key', async () => {
    const { id, key } = await newKey();
    const channel = await ChannelClient.connect(`${urlOf(1).replace('http', 'ws')}/v1/chat/ws`, { apiKey: key });
    const graphql = await openGraphql(urlOf(1), key);
    // A bystander with another key stays connected.
    const other = await newKey();
    const bystander = await ChannelClient.connect(`${urlOf(1).replace('http', 'ws')}/v1/chat/ws`, {
      apiKey: other.key,
    });
    try {
      expect((await admin('DELETE', `/api-keys/${id}`)).status).toBe(204);

      expect(await channel.closed).toEqual({ code: 4401, reason: 'API key revoked.' });
      expect(await graphql.closed).toEqual({ code: 4401, reason: 'API key revoked.' });
      expect(await agentsStatus(1, key)).toBe(401);

      bystander.send({ type: 'ping' });
      await bystander.next((frame) => frame.type === 'pong');
    } finally {
      await channel.close();
      await bystander.close();
      await graphql.client.dispose();
    }
  });

  it('closes both sessions with 4401 when their key expires, and the key then answers 401', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const { key } = await newKey({ expires_at: expiresAt });
    const channel = await ChannelClient.connect(`${urlOf(1).replace('http', 'ws')}/v1/chat/ws`, { apiKey: key });
    const graphql = await openGraphql(urlOf(0), key);
    try {
      expect(await channel.closed).toEqual({ code: 4401, reason: 'API key expired.' });
      expect(await graphql.closed).toEqual({ code: 4401, reason: 'API key expired.' });
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
      const response = await fetch(`${urlOf(0)}/v1/agents`, { headers: { authorization: `Bearer ${key}` } });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    } finally {
      await channel.close();
      await graphql.client.dispose();
    }
  });

  it('ends the sessions of a deleted user on every instance; a user with agents needs force', async () => {
    const { key, userId } = await newKey();
    const created = await fetch(`${urlOf(0)}/v1/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(created.status).toBe(201);
    const channel = await ChannelClient.connect(`${urlOf(1).replace('http', 'ws')}/v1/chat/ws`, { apiKey: key });
    try {
      const refused = await admin('DELETE', `/users/${userId}`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('user_has_agents');
      channel.send({ type: 'ping' });
      await channel.next((frame) => frame.type === 'pong');

      expect((await admin('DELETE', `/users/${userId}?force=true`)).status).toBe(204);
      expect(await channel.closed).toEqual({ code: 4401, reason: 'API key revoked.' });
      expect(await agentsStatus(1, key)).toBe(401);
      expect((await admin('GET', `/users/${userId}/api-keys`)).status).toBe(404);
    } finally {
      await channel.close();
    }
  });
});
