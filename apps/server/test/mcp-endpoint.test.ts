import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@memgate/store-sqlite';
import {
  createTestMemgate,
  type MockUpstream,
  RestSetup,
  type ScriptedResponse,
  sendMessage,
  startMockUpstream,
  type TestMemgate,
} from '@memgate/testkit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemgateServer, startMemgateServer } from '../src/index.ts';

/** An assistant turn that calls one agent tool and asks to continue. */
function callTool(name: string, args: Record<string, unknown>): ScriptedResponse {
  return { toolCalls: [{ name, arguments: { ...args, request_heartbeat: true } }] };
}

async function connect(url: string, key: string): Promise<Client> {
  const client = new Client({ name: 'memgate-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return client;
}

function textOf(result: object): string {
  const [first] = ((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[];
  return first?.text ?? '';
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('memgate as an MCP server at /mcp', () => {
  let upstream: MockUpstream;
  let dataDir: string;
  let test: TestMemgate;
  let server: MemgateServer;
  let rest: RestSetup;
  let agentId: string;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-mcp-'));
    test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
    server = await startMemgateServer({ memgate: test.memgate, port: 0, mcpSessions: { maxPerUser: 2 } });
    rest = new RestSetup(server.url, test.apiKey);
    agentId = await rest.createAgent({ name: 'mcp-agent', human: 'Name: unknown' });
  });
  afterAll(async () => {
    await server?.close();
    await test?.memgate.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a missing or bad key with 401 in the contract’s shape', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    for (const authorization of [undefined, 'Bearer mg-not-a-key']) {
      const response = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(authorization && { authorization }),
        },
        body: JSON.stringify(initialize),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await response.json()) as { error: { type: string }; detail: string };
      expect(body.error.type).toBe('authentication_error');
      expect(typeof body.detail).toBe('string');
    }
    await expect(connect(server.url, 'mg-wrong')).rejects.toThrow();
  });

  it('checks Origin (DNS rebinding): a browser origin not in MEMGATE_CORS_ORIGINS gets 403, a listed one CORS headers', async () => {
    const refused = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        authorization: `Bearer ${test.apiKey}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');

    const withCors = await startMemgateServer({
      memgate: test.memgate,
      port: 0,
      corsOrigins: ['https://app.example.com'],
    });
    try {
      const preflight = await fetch(`${withCors.url}/mcp`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, mcp-session-id',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('mcp-session-id');
      const unauthorised = await fetch(`${withCors.url}/mcp`, {
        method: 'POST',
        headers: { origin: 'https://app.example.com', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(unauthorised.status).toBe(401);
      expect(unauthorised.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(unauthorised.headers.get('access-control-expose-headers')).toContain('mcp-session-id');
    } finally {
      await withCors.close();
    }
  });

  it('lists its tools and chats with an agent through a real turn', async () => {
    const client = await connect(server.url, test.apiKey);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        'archival_insert',
        'archival_search',
        'chat',
        'conversation_search',
        'list_agents',
        'read_memory',
        'update_memory_block',
      ]);
      const agents = JSON.parse(textOf(await client.callTool({ name: 'list_agents', arguments: {} }))) as {
        id: string;
      }[];
      expect(agents.map((agent) => agent.id)).toEqual([agentId]);

      upstream.script(sendMessage('Hello from the agent over MCP.'));
      const reply = await client.callTool({ name: 'chat', arguments: { agent_id: agentId, message: 'Hi via MCP' } });
      expect(reply.isError).toBeFalsy();
      expect(textOf(reply)).toBe('Hello from the agent over MCP.');
      expect(JSON.stringify(upstream.requests.at(-1)?.body.messages)).toContain('Hi via MCP');
      // The turn is stored like any other: the messages API shows it.
      const history = await fetch(`${server.url}/v1/agents/${agentId}/messages`, {
        headers: { authorization: `Bearer ${test.apiKey}` },
      }).then((response) => response.json() as Promise<{ content: unknown }[]>);
      expect(JSON.stringify(history)).toContain('Hi via MCP');

      const found = JSON.parse(
        textOf(await client.callTool({ name: 'conversation_search', arguments: { agent_id: agentId, query: 'MCP' } })),
      ) as { total: number };
      expect(found.total).toBeGreaterThan(0);

      await client.callTool({
        name: 'archival_insert',
        arguments: { agent_id: agentId, content: 'Ada likes bergamot tea.' },
      });
      const passages = JSON.parse(
        textOf(await client.callTool({ name: 'archival_search', arguments: { agent_id: agentId, query: 'bergamot' } })),
      ) as { passages: { content: string }[] };
      expect(passages.passages.map((passage) => passage.content)).toEqual(['Ada likes bergamot tea.']);

      // Errors are the core's, as failed tool results: another user's (here: a missing) agent is a 404.
      const missing = await client.callTool({ name: 'read_memory', arguments: { agent_id: 'agent-nope' } });
      expect(missing.isError).toBe(true);
      expect(textOf(missing)).toContain('404');
      const tooLong = await client.callTool({
        name: 'update_memory_block',
        arguments: { agent_id: agentId, label: 'human', value: 'x'.repeat(100_000) },
      });
      expect(tooLong.isError).toBe(true);
      expect(textOf(tooLong)).toContain('422');

      // A conversation of the agent, named by the tool's argument.
      const conversation = await fetch(`${server.url}/v1/agents/${agentId}/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${test.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'from mcp' }),
      }).then((response) => response.json() as Promise<{ id: string }>);
      upstream.script(sendMessage('In the side conversation.'));
      const side = await client.callTool({
        name: 'chat',
        arguments: { agent_id: agentId, message: 'Side question', conversation_id: conversation.id },
      });
      expect(textOf(side)).toBe('In the side conversation.');
      const inSide = await fetch(`${server.url}/v1/agents/${agentId}/conversations/${conversation.id}/messages`, {
        headers: { authorization: `Bearer ${test.apiKey}` },
      }).then((response) => response.text());
      expect(inSide).toContain('Side question');
    } finally {
      await client.close();
    }
  });

  it('lets a read-only key read but not chat or write, with the core’s 403', async () => {
    const client = await connect(server.url, test.readApiKey);
    try {
      const memory = await client.callTool({ name: 'read_memory', arguments: { agent_id: agentId } });
      expect(memory.isError).toBeFalsy();
      for (const [name, args] of [
        ['chat', { agent_id: agentId, message: 'Hi' }],
        ['update_memory_block', { agent_id: agentId, label: 'human', value: 'x' }],
        ['archival_insert', { agent_id: agentId, content: 'x' }],
      ] as const) {
        const refused = await client.callTool({ name, arguments: args });
        expect(refused.isError, name).toBe(true);
        expect(textOf(refused), name).toContain('403 (insufficient_scope)');
      }
    } finally {
      await client.close();
    }
  });

  it('serves core blocks as resources and notifies subscribers when a REST turn or a PUT changes one', async () => {
    const client = await connect(server.url, test.apiKey);
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updates.push(notification.params.uri);
    });
    try {
      const uri = `memgate://agents/${agentId}/blocks/human`;
      const { resources } = await client.listResources();
      expect(resources.map((resource) => resource.uri)).toEqual(
        expect.arrayContaining([uri, `memgate://agents/${agentId}/blocks/persona`]),
      );
      const read = await client.readResource({ uri });
      expect(read.contents[0]).toMatchObject({ uri, mimeType: 'text/plain', text: 'Name: unknown' });
      expect(client.getServerCapabilities()?.resources?.subscribe).toBe(true);

      await client.subscribeResource({ uri });
      // A PUT through REST.
      const put = await fetch(`${server.url}/v1/agents/${agentId}/memory/human`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${test.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ value: 'Name: Ada' }),
      });
      expect(put.status).toBe(200);
      await until(() => updates.length === 1);
      expect(updates).toEqual([uri]);
      expect((await client.readResource({ uri })).contents[0]).toMatchObject({ text: 'Name: Ada' });

      // A REST turn in which the agent edits its memory.
      upstream.script(callTool('core_memory_append', { label: 'human', content: 'Likes tea.' }), sendMessage('Noted.'));
      const turn = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${test.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'mock-model',
          user: agentId,
          messages: [{ role: 'user', content: 'I like tea' }],
        }),
      });
      expect(turn.status).toBe(200);
      await until(() => updates.length === 2);
      expect(((await client.readResource({ uri })).contents[0] as { text: string }).text).toContain('Likes tea.');

      // Another block's change is not this subscription's.
      await fetch(`${server.url}/v1/agents/${agentId}/memory/persona`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${test.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ value: 'A new persona.' }),
      });
      await client.unsubscribeResource({ uri });
      await fetch(`${server.url}/v1/agents/${agentId}/memory/human`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${test.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ value: 'Name: Ada Lovelace' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(updates).toEqual([uri, uri]);

      // Another user can neither read nor subscribe to the block.
      const bob = await connect(server.url, test.otherApiKey);
      try {
        await expect(bob.readResource({ uri })).rejects.toThrow(/not found/i);
        await expect(bob.subscribeResource({ uri })).rejects.toThrow(/not found/i);
        expect((await bob.listResources()).resources).toEqual([]);
      } finally {
        await bob.close();
      }
    } finally {
      await client.close();
    }
  });

  it('ends the sessions of a revoked key: afterwards its session id is unknown, even to another key of the user', async () => {
    const alice = (await test.memgate.admin.authenticate(`Bearer ${test.apiKey}`)).userId;
    const extra = await test.memgate.admin.createApiKey(alice);
    const client = await connect(server.url, extra.key);
    try {
      expect((await client.listTools()).tools.length).toBe(7);
      const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
      await test.memgate.admin.deleteApiKey(extra.id);
      await expect(client.listTools()).rejects.toThrow();
      const withOtherKey = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${test.apiKey}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }),
      });
      expect(withOtherKey.status).toBe(404);
    } finally {
      await client.close().catch(() => undefined);
    }
  });

  it('keeps sessions per user bounded and refuses a session of another user or one that is gone', async () => {
    const first = await connect(server.url, test.apiKey);
    const sessionId = (first.transport as StreamableHTTPClientTransport).sessionId;
    expect(sessionId).toBeTruthy();
    // Bob cannot use Alice's session.
    const stolen = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${test.otherApiKey}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId ?? '',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }),
    });
    expect(stolen.status).toBe(404);
    // A third session of a user limited to two closes the least recently used: the first.
    const second = await connect(server.url, test.apiKey);
    const third = await connect(server.url, test.apiKey);
    await expect(first.listTools()).rejects.toThrow();
    expect((await second.listTools()).tools.length).toBe(7);
    expect((await third.listTools()).tools.length).toBe(7);
    await Promise.all([first.close(), second.close(), third.close()]);
    // Without a session id, only initialize is accepted.
    const orphan = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${test.apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(orphan.status).toBe(400);
  });
});
