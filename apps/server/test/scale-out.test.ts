import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageCreatedEvent } from '@memgate/core';
import { RedisEventBus } from '@memgate/redis';
import { echoResponder, type MockUpstream, startMockUpstream, startTestMcpServer } from '@memgate/testkit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_EVENTS } from '../../graphql/test/graphql-operations.ts';
import { wsClient } from '../../graphql/test/graphql-transport.ts';
import { ChannelClient } from '../../ws/test/channel-client.ts';
import { createTestSchema, type TestSchema } from './postgres-schema.ts';
import { newcomerEnv, type ServerProcess, startServerProcess } from './server-process.ts';

const databaseUrl = process.env['DATABASE_URL'];
const redisUrl = process.env['REDIS_URL'];
if (!databaseUrl || !redisUrl) {
  console.warn('DATABASE_URL or REDIS_URL is not set: skipping the scale-out tests (CI sets both; see .ci/run).');
}

interface StoredMessageResource {
  id: string;
  role: string;
  content: string | null;
  tool_calls?: { function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

/** What the agent sent with send_message in an assistant message, if it did. */
function sentText(message: StoredMessageResource | undefined): string | undefined {
  const call = message?.tool_calls?.find((candidate) => candidate.function.name === 'send_message');
  return call ? (JSON.parse(call.function.arguments) as { message: string }).message : undefined;
}

describe.skipIf(!databaseUrl || !redisUrl)('several instances on one PostgreSQL and one Redis', () => {
  let schema: TestSchema;
  let upstream: MockUpstream;
  const servers: ServerProcess[] = [];
  const dataDirs: string[] = [];
  let key: string;

  beforeAll(async () => {
    schema = await createTestSchema(databaseUrl!);
    // A small delay per upstream call, so that concurrent turns really overlap.
    upstream = await startMockUpstream({ defaultResponder: (request) => ({ ...echoResponder(request), delayMs: 15 }) });
    const env = () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'memgate-scale-out-'));
      dataDirs.push(dataDir);
      const extra = {
        DATABASE_URL: schema.databaseUrl,
        REDIS_URL: redisUrl!,
        MEMGATE_LLM_BASE_URL: upstream.url,
        // MCP servers: the same key on every instance; the test's MCP server is on 127.0.0.1.
        MEMGATE_SECRET_KEY: 'a-scale-out-secret-key-of-at-least-32-chars',
        MEMGATE_MCP_ALLOW_PRIVATE: '1',
      };
      return newcomerEnv(dataDir, { ...extra, MEMGATE_LLM_API_KEY: 'sk-test' });
    };
    // Started together on an empty schema: they race to migrate and to create the default user.
    servers.push(...(await Promise.all([startServerProcess(env()), startServerProcess(env())])));
    const printed = servers.map((server) => server.printedKey).filter((printed) => printed !== null);
    expect(printed).toHaveLength(1);
    key = printed[0]!;
  }, 60_000);

  afterAll(async () => {
    // Settled one by one, so that a failure in one step never leaves the schema or a process behind.
    await Promise.allSettled(servers.map((server) => server.stop('SIGKILL')));
    await upstream?.close().catch(() => undefined);
    await schema?.drop();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const server = (index: number) => servers[index % servers.length]!;
  const headers = () => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

  async function createAgent(on: ServerProcess): Promise<string> {
    const response = await fetch(`${on.url}/v1/agents`, { method: 'POST', headers: headers(), body: '{}' });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  function chat(on: ServerProcess, agentId: string, content: string): Promise<Response> {
    return fetch(`${on.url}/v1/chat/completions`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ model: agentId, user: agentId, messages: [{ role: 'user', content }] }),
    });
  }

  async function reply(response: Response): Promise<string | null | undefined> {
    expect(response.status).toBe(200);
    return ((await response.json()) as { choices: { message: { content: string | null } }[] }).choices[0]?.message
      .content;
  }

  async function history(on: ServerProcess, agentId: string): Promise<StoredMessageResource[]> {
    const response = await fetch(`${on.url}/v1/agents/${agentId}/messages?limit=1000`, { headers: headers() });
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: StoredMessageResource[] }).data;
  }

  it('says in the banner that it runs on PostgreSQL, advisory locks and Redis', () => {
    for (const instance of servers) {
      expect(instance.output()).toMatch(/store:\s+PostgreSQL at postgres:\/\//);
      expect(instance.output()).toMatch(/locks:\s+PostgreSQL advisory locks/);
      expect(instance.output()).toMatch(/events:\s+Redis at redis:\/\//);
    }
  });

  it('serialises 20 concurrent turns on one agent split across both instances', { timeout: 120_000 }, async () => {
    const agentId = await createAgent(server(0));
    const contents = Array.from({ length: 20 }, (_, index) => `turn ${index} via instance ${index % 2}`);
    const replies = await Promise.all(
      contents.map(async (content, index) => reply(await chat(server(index), agentId, content))),
    );
    expect(replies).toEqual(contents.map((content) => `Echo: ${content}`));

    // Both instances read the same history: user, assistant (send_message), tool — per turn, never interleaved.
    const stored = await history(server(1), agentId);
    expect(await history(server(0), agentId)).toEqual(stored);
    expect(stored).toHaveLength(60);
    const seen: string[] = [];
    for (let index = 0; index < stored.length; index += 3) {
      const [user, assistant, tool] = stored.slice(index, index + 3);
      expect(user?.role).toBe('user');
      expect(assistant?.role).toBe('assistant');
      expect(sentText(assistant)).toBe(`Echo: ${user?.content}`);
      expect(tool?.role).toBe('tool');
      expect(tool?.tool_call_id).toBe(assistant?.tool_calls?.[0] && (assistant.tool_calls[0] as { id?: string }).id);
      seen.push(user?.content ?? '');
    }
    expect(seen.sort()).toEqual([...contents].sort());
  });

  it("publishes every instance's messages on Redis, in order, for subscribers anywhere", async () => {
    const agentId = await createAgent(server(0));
    const bus = await RedisEventBus.connect(redisUrl!);
    try {
      const received: MessageCreatedEvent[] = [];
      const allSix = new Promise<void>((resolve) => {
        bus.subscribe(agentId, (event) => {
          if (event.type !== 'message.created') return;
          received.push(event);
          if (received.length === 6) resolve();
        });
      });
      await bus.ready(agentId);
      expect(await reply(await chat(server(0), agentId, 'hello from A'))).toBe('Echo: hello from A');
      expect(await reply(await chat(server(1), agentId, 'hello from B'))).toBe('Echo: hello from B');
      await allSix;
      expect(received.map((event) => [event.type, event.message.role])).toEqual([
        ['message.created', 'user'],
        ['message.created', 'assistant'],
        ['message.created', 'tool'],
        ['message.created', 'user'],
        ['message.created', 'assistant'],
        ['message.created', 'tool'],
      ]);
      expect(received.map((event) => event.message.id)).toEqual((await history(server(1), agentId)).map((m) => m.id));
    } finally {
      await bus.close();
    }
  });

  it('delivers a REST turn on one instance to GraphQL agentEvents and WS agent.subscribe on the other', {
    timeout: 60_000,
  }, async () => {
    const [first, second] = [server(0), server(1)];
    const agentId = await createAgent(first);
    // GraphQL subscriber on instance A.
    const graphql = wsClient(`${first.url.replace('http', 'ws')}/graphql`, key);
    const graphqlSeen: string[] = [];
    let graphqlLive!: () => void;
    const graphqlSubscribed = new Promise<void>((resolve) => {
      graphqlLive = resolve;
    });
    const graphqlGotSix = new Promise<void>((resolve, reject) => {
      graphql.subscribe<{ agentEvents: { type: string; message: { role: string; content: string | null } | null } }>(
        { query: AGENT_EVENTS, variables: { agentId } },
        {
          next: (result) => {
            const event = result.data?.agentEvents;
            if (event?.type === 'subscribed') graphqlLive();
            else if (event?.message) graphqlSeen.push(`${event.message.role}:${event.message.content ?? ''}`);
            if (graphqlSeen.length === 6) resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    // WebSocket channel subscriber on instance B.
    const channel = await ChannelClient.connect(`${second.url.replace('http', 'ws')}/v1/chat/ws`, { apiKey: key });
    try {
      channel.send({ type: 'agent.subscribe', agent_id: agentId });
      await channel.next((frame) => frame.type === 'agent.subscribed');
      await graphqlSubscribed;

      // One turn through REST on B (seen by A's GraphQL subscriber), one on A (seen by B's channel).
      expect(await reply(await chat(second, agentId, 'via B'))).toBe('Echo: via B');
      expect(await reply(await chat(first, agentId, 'via A'))).toBe('Echo: via A');
      await graphqlGotSix;
      await channel.next(() => channel.frames.filter((frame) => frame.type === 'agent.event').length >= 6);
      const channelSeen = channel.frames
        .filter((frame) => frame.type === 'agent.event')
        .map((frame) => {
          const { message } = (frame as { event: { message: { role: string; content: string | null } } }).event;
          return `${message.role}:${message.content ?? ''}`;
        });
      expect(channelSeen).toEqual(graphqlSeen);
      expect(graphqlSeen.filter((entry) => entry.startsWith('user:'))).toEqual(['user:via B', 'user:via A']);
    } finally {
      channel.socket.close();
      await graphql.dispose();
    }
  });

  /** Agent lock requests of this schema queued in PostgreSQL (`granted` false) or held (true). */
  async function agentLocks(granted: boolean): Promise<number> {
    const rows = await schema.query<{ count: string }>(
      `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted = $1
       AND classid::int = hashtext('memgate.agent-lock:' || current_schema())`,
      [granted],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Polls until `check` holds; the test's timeout bounds the wait. */
  async function until(check: () => boolean | Promise<boolean>): Promise<void> {
    while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  it('shares MCP servers between instances (headers sealed by one, used by the other) and notifies /mcp subscribers of writes made on another instance', {
    timeout: 30_000,
  }, async () => {
    const mcp = await startTestMcpServer();
    const client = new Client({ name: 'scale-out', version: '1' });
    try {
      const created = await fetch(`${server(0).url}/v1/mcp-servers`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ name: 'shared', url: mcp.url, headers: { Authorization: 'Bearer scale-out-token' } }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const tools = await fetch(`${server(1).url}/v1/mcp-servers/${id}/tools`, { headers: headers() });
      expect(tools.status).toBe(200);
      expect(mcp.requests.at(-1)?.authorization).toBe('Bearer scale-out-token');

      const agentId = await createAgent(server(0));
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${server(0).url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${key}` } },
        }),
      );
      const updates: string[] = [];
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
        updates.push(notification.params.uri);
      });
      const uri = `memgate://agents/${agentId}/blocks/human`;
      await client.subscribeResource({ uri });
      const put = await fetch(`${server(1).url}/v1/agents/${agentId}/memory/human`, {
        method: 'PUT',
        headers: headers(),
        body: JSON.stringify({ value: 'Written on the other instance.' }),
      });
      expect(put.status).toBe(200);
      const deadline = Date.now() + 5000;
      while (updates.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(updates).toEqual([uri]);
      expect((await client.readResource({ uri })).contents[0]).toMatchObject({
        text: 'Written on the other instance.',
      });
    } finally {
      await client.close();
      await mcp.close();
    }
  });

  it('stops a turn whose lock connection breaks (503) and cancels its upstream call', { timeout: 60_000 }, async () => {
    const holder = server(1);
    const agentId = await createAgent(holder);
    upstream.script({ hang: true });
    const pending = chat(holder, agentId, 'the lock will break');
    await until(() => upstream.activeRequests() === 1);
    await until(async () => (await agentLocks(true)) === 1);
    // The lock's session dies while the instance lives on (a network cut, a restarted pooler).
    await schema.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND classid::int = hashtext('memgate.agent-lock:' || current_schema())`,
      [],
    );
    const response = await pending;
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('agent_lock_lost');
    await upstream.waitForAbort();
    // The agent serves again, from either instance.
    expect(await reply(await chat(server(0), agentId, 'next'))).toBe('Echo: next');
  });

  it('serves an agent from the other instance after kill -9 of the one mid-turn, with a consistent history', {
    timeout: 120_000,
  }, async () => {
    const [doomed, survivor] = [server(0), server(1)];
    const agentId = await createAgent(survivor);
    upstream.script({ hang: true });
    const interrupted = chat(doomed, agentId, 'interrupted turn').catch((error: unknown) => error);
    // The upstream call is running: the doomed instance holds the agent's lock and stored the user message.
    await until(() => upstream.activeRequests() === 1);
    // The survivor's turn on the same agent queues behind that lock in PostgreSQL...
    const next = chat(survivor, agentId, 'after the crash');
    await until(async () => (await agentLocks(false)) === 1);
    // ...until the holder dies without unlocking: its session ends and PostgreSQL frees the lock.
    await doomed.stop('SIGKILL');
    expect(await interrupted).toBeInstanceOf(Error);
    expect(await reply(await next)).toBe('Echo: after the crash');

    const stored = await history(survivor, agentId);
    expect(stored.map((message) => [message.role, message.content ?? sentText(message) ?? null])).toEqual([
      ['user', 'interrupted turn'],
      ['user', 'after the crash'],
      ['assistant', 'Echo: after the crash'],
      ['tool', expect.any(String)],
    ]);
    // Once the turn is over, no instance holds or waits for a lock in this schema any more.
    expect(await agentLocks(true)).toBe(0);
    expect(await agentLocks(false)).toBe(0);
  });
});
