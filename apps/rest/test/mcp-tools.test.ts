import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SdkMcpClientPool } from '@memgate/mcp';
import {
  type ChatRequestMessage,
  echoResponder,
  sendMessage,
  startTestMcpServer,
  TEST_MCP_TOOLS,
  type TestMcpServer,
  type TestMcpTool,
} from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

const MEMORY_TOOLS = [
  'send_message',
  'core_memory_append',
  'core_memory_replace',
  'archival_memory_insert',
  'archival_memory_search',
  'conversation_search',
];

interface UpstreamTool {
  function: { name: string; description?: string; parameters?: { properties?: Record<string, unknown> } };
}

describe('MCP tools attached to agents, in turns (REST, Chat Completions)', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let other: ReturnType<typeof api>;
  let streamable: TestMcpServer;
  let sse: TestMcpServer;
  let dying: TestMcpServer;
  /** The arguments each call of the `record` tool received, on any test server. */
  const received: Record<string, unknown>[] = [];
  const record: TestMcpTool = {
    name: 'record',
    description: 'Records its arguments.',
    inputSchema: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] },
    run: async (args) => {
      received.push(args);
      return { text: `recorded ${String(args['note'])}` };
    },
  };
  const die: TestMcpTool = {
    name: 'die',
    inputSchema: { type: 'object', properties: {} },
    run: () => {
      // The server goes away while the call is open.
      setTimeout(() => void dying.close(), 50);
      return new Promise(() => undefined);
    },
  };
  /** Calls of `hold` the server saw cancelled. */
  let cancelled = 0;
  let holding = 0;
  const hold: TestMcpTool = {
    name: 'hold',
    inputSchema: { type: 'object', properties: {} },
    run: (_args, signal) => {
      holding++;
      return new Promise((resolve) => {
        signal.addEventListener('abort', () => {
          cancelled++;
          resolve({ text: 'cancelled' });
        });
      });
    },
  };
  let ids: { tools: string; sse: string; dying: string };
  let agentId: string;

  beforeAll(async () => {
    [streamable, sse, dying] = await Promise.all([
      startTestMcpServer({ tools: [...TEST_MCP_TOOLS, record] }),
      startTestMcpServer({ transport: 'sse', tools: [...TEST_MCP_TOOLS, record] }),
      startTestMcpServer({ tools: [die] }),
    ]);
    harness = await startRestHarness({
      mcp: { pool: new SdkMcpClientPool({ allowPrivate: true }), allowPrivate: true },
    });
    call = api(harness.baseUrl, harness.apiKey);
    other = api(harness.baseUrl, harness.otherApiKey);
    const create = async (body: Record<string, unknown>) => {
      const response = await call('POST', '/v1/mcp-servers', body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body['id'] as string;
    };
    ids = {
      tools: await create({
        name: 'tools',
        url: streamable.url,
        transport: 'streamable_http',
        timeout_ms: 1000,
        require_approval: ['record'],
      }),
      sse: await create({
        name: 'legacy',
        url: sse.url,
        transport: 'sse',
        allowed_tools: ['echo', 'record'],
        require_approval: 'never',
      }),
      dying: await create({
        name: 'dying',
        url: dying.url,
        transport: 'streamable_http',
        timeout_ms: 5000,
        require_approval: 'never',
      }),
    };
  });
  afterAll(async () => {
    await harness.close();
    await Promise.all([streamable.close(), sse.close(), dying.close()]);
  });
  beforeEach(async () => {
    harness.upstream.reset();
    harness.upstream.setDefault(echoResponder);
    received.length = 0;
    agentId = (await call('POST', '/v1/agents', {})).body['id'] as string;
  });

  const attach = (tools: unknown[]) => call('PUT', `/v1/agents/${agentId}/tools`, { tools });
  const chat = (messages: unknown[], extra: Record<string, unknown> = {}) =>
    call('POST', '/v1/chat/completions', { model: 'mock-model', user: agentId, messages, ...extra });
  const lastTool = (index: number) =>
    harness.upstream.requests[index]?.body.messages.findLast((message) => message.role === 'tool') as
      | ChatRequestMessage
      | undefined;

  it('an agent without MCP tools sends the memory tools only, and costs no MCP server a request', async () => {
    const before = streamable.requests.length + sse.requests.length + dying.requests.length;
    harness.upstream.script(sendMessage('Hi.'));
    expect((await chat([{ role: 'user', content: 'hello' }])).status).toBe(200);
    const tools = harness.upstream.requests[0]?.body.tools as UpstreamTool[];
    expect(tools.map((tool) => tool.function.name)).toEqual(MEMORY_TOOLS);
    expect(streamable.requests.length + sse.requests.length + dying.requests.length).toBe(before);
  });

  it('PUT/GET /v1/agents/{id}/tools: by id or name, all or one; unknown, another user’s or disallowed → 422', async () => {
    const put = await attach([
      { server: 'tools', all: true },
      { server: ids.sse, tool: 'echo' },
    ]);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body['attachments']).toEqual([
      { server_id: ids.tools, server_name: 'tools', tool: null, all: true, missing: false },
      { server_id: ids.sse, server_name: 'legacy', tool: 'echo', all: false, missing: false },
    ]);
    const names = (put.body['tools'] as { name: string }[]).map((tool) => tool.name);
    expect(names).toEqual(['tools__echo', 'tools__add', 'tools__fail', 'tools__slow', 'tools__record', 'legacy__echo']);
    expect(put.body['tools']).toContainEqual(
      expect.objectContaining({ name: 'tools__record', requires_approval: true }),
    );
    expect((await call('GET', `/v1/agents/${agentId}/tools`)).body).toEqual(put.body);

    const unknown = await attach([{ server: 'nope', all: true }]);
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ error: { param: 'tools.0.server' } });
    const theirs = await other('POST', '/v1/mcp-servers', { name: 'theirs', url: streamable.url, transport: 'sse' });
    expect(theirs.status).toBe(201);
    expect((await attach([{ server: theirs.body['id'], all: true }])).status).toBe(422);
    const disallowed = await attach([{ server: 'legacy', tool: 'add' }]);
    expect(disallowed.status).toBe(422);
    expect(disallowed.body).toMatchObject({ error: { code: 'mcp_tool_not_allowed', param: 'tools.0.tool' } });
    expect((await attach([{ server: 'tools' }])).status).toBe(422);
    expect((await attach([{ server: 'tools', tool: 'echo', all: true }])).status).toBe(422);
    // Nothing of the refused bodies was kept.
    expect((await call('GET', `/v1/agents/${agentId}/tools`)).body['attachments']).toHaveLength(2);
    expect((await other('GET', `/v1/agents/${agentId}/tools`)).status).toBe(404);
    expect((await other('PUT', `/v1/agents/${agentId}/tools`, { tools: [] })).status).toBe(404);
  });

  it('the model sees server__tool with the server’s schema; a call with arguments runs and its result is stored and fed back', async () => {
    expect((await attach([{ server: 'legacy', all: true }])).status).toBe(200);
    harness.upstream.script(
      { toolCalls: [{ name: 'legacy__echo', arguments: { text: 'over SSE', request_heartbeat: true } }] },
      sendMessage('Done.'),
    );
    const turn = await chat([{ role: 'user', content: 'echo something' }]);
    expect(turn.status, JSON.stringify(turn.body)).toBe(200);
    const tools = harness.upstream.requests[0]?.body.tools as UpstreamTool[];
    expect(tools.map((tool) => tool.function.name)).toEqual([...MEMORY_TOOLS, 'legacy__echo', 'legacy__record']);
    const echo = tools.find((tool) => tool.function.name === 'legacy__echo');
    expect(echo?.function.description).toBe('Echoes the text.');
    expect(echo?.function.parameters).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' }, request_heartbeat: { type: 'boolean' } },
      required: ['text'],
    });
    expect(lastTool(1)?.content).toBe('echo: over SSE');
    const messages = (await call('GET', `/v1/agents/${agentId}/messages`)).body.data as {
      role: string;
      content: string;
      name?: string;
    }[];
    expect(messages).toContainEqual(expect.objectContaining({ role: 'tool', content: 'echo: over SSE' }));
  });

  it('an oversized result is cut like every tool result, with a note the agent can act on', async () => {
    agentId = (await call('POST', '/v1/agents', { context_window: 4000 })).body['id'] as string;
    expect((await attach([{ server: 'legacy', tool: 'echo' }])).status).toBe(200);
    harness.upstream.script(
      { toolCalls: [{ name: 'legacy__echo', arguments: { text: 'x'.repeat(5000), request_heartbeat: true } }] },
      sendMessage('Long.'),
    );
    expect((await chat([{ role: 'user', content: 'echo a lot' }])).status).toBe(200);
    const content = String(lastTool(1)?.content);
    expect(content.startsWith(`echo: ${'x'.repeat(100)}`)).toBe(true);
    expect(content).toContain('[Result truncated: 5006 characters, only the first 2000 are shown.');
  });

  it('the MCP server receives the arguments (request_heartbeat is memgate’s, not sent on)', async () => {
    expect((await attach([{ server: 'legacy', tool: 'record' }])).status).toBe(200);
    harness.upstream.script(
      { toolCalls: [{ name: 'legacy__record', arguments: { note: 'n-1', request_heartbeat: true } }] },
      sendMessage('Done.'),
    );
    expect((await chat([{ role: 'user', content: 'record' }])).status).toBe(200);
    expect(received).toEqual([{ note: 'n-1' }]);
    expect(lastTool(1)?.content).toBe('recorded n-1');
  });

  it('a tool error (isError) is a failure result the agent reads, and the turn goes on', async () => {
    expect((await attach([{ server: 'tools', tool: 'fail' }])).status).toBe(200);
    harness.upstream.script({ toolCalls: [{ name: 'tools__fail', arguments: {} }] }, sendMessage('It failed.'));
    const turn = await chat([{ role: 'user', content: 'fail please' }]);
    expect(turn.status).toBe(200);
    const result = JSON.parse(String(lastTool(1)?.content)) as { status: string; message: string };
    expect(result.status).toBe('Failed');
    expect(result.message).toMatch(/the tool failed on purpose/);
  });

  it('a server that does not answer in time is a failure result within about its timeout', async () => {
    expect((await attach([{ server: 'tools', tool: 'slow' }])).status).toBe(200);
    harness.upstream.script({ toolCalls: [{ name: 'tools__slow', arguments: { ms: 20_000 } }] }, sendMessage('Late.'));
    const started = Date.now();
    const turn = await chat([{ role: 'user', content: 'slow please' }]);
    expect(turn.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    const result = JSON.parse(String(lastTool(1)?.content)) as { status: string; message: string };
    expect(result.status).toBe('Failed');
    expect(result.message).toMatch(/did not answer within 1000 ms/);
  });

  it('a server that dies mid-call is a failure result, and the turn completes', async () => {
    expect((await attach([{ server: 'dying', all: true }])).status).toBe(200);
    harness.upstream.script({ toolCalls: [{ name: 'dying__die', arguments: {} }] }, sendMessage('It died.'));
    const started = Date.now();
    const turn = await chat([{ role: 'user', content: 'die please' }]);
    expect(turn.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(JSON.parse(String(lastTool(1)?.content))).toMatchObject({ status: 'Failed' });
    expect((turn.body['choices'] as { message: { content: string } }[])[0]?.message.content).toBe('It died.');
  });

  it('a client that leaves during an MCP call cancels it on the server', async () => {
    const holder = await startTestMcpServer({ tools: [hold] });
    const made = await call('POST', '/v1/mcp-servers', {
      name: 'holder',
      url: holder.url,
      transport: 'streamable_http',
      require_approval: 'never',
    });
    expect(made.status).toBe(201);
    expect((await attach([{ server: 'holder', tool: 'hold' }])).status).toBe(200);
    harness.upstream.script({ toolCalls: [{ name: 'holder__hold', arguments: {} }] }, sendMessage('Never.'));
    const controller = new AbortController();
    const request = fetch(`${harness.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'hold' }] }),
      signal: controller.signal,
    }).catch(() => null);
    const started = Date.now();
    while (holding === 0 && Date.now() - started < 3000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(holding).toBe(1);
    controller.abort();
    await request;
    while (cancelled === 0 && Date.now() - started < 4000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cancelled).toBe(1);
    // The upstream was never asked for a next step.
    expect(harness.upstream.requests).toHaveLength(1);
    await holder.close();
  });

  it('a client tool named like an attached server’s tools is refused (422), nothing stored', async () => {
    expect((await attach([{ server: 'tools', tool: 'echo' }])).status).toBe(200);
    const tools = [{ type: 'function', function: { name: 'tools__mine', parameters: { type: 'object' } } }];
    const refused = await chat([{ role: 'user', content: 'x' }], { tools });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { param: 'tools.0.function.name' } });
    expect((await call('GET', `/v1/agents/${agentId}/messages`)).body.data).toEqual([]);
  });

  it('approval round trip: the call goes to the client, {"approve": true} runs it, false declines it', async () => {
    expect((await attach([{ server: 'tools', tool: 'record' }])).status).toBe(200);
    harness.upstream.script(
      { toolCalls: [{ id: 'call_ok', name: 'tools__record', arguments: { note: 'approved' } }] },
      sendMessage('Recorded.'),
    );
    const asked = await chat([{ role: 'user', content: 'record it' }]);
    expect(asked.status).toBe(200);
    const choice = (asked.body['choices'] as { finish_reason: string; message: Record<string, unknown> }[])[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message['tool_calls']).toEqual([
      { id: 'call_ok', type: 'function', function: { name: 'tools__record', arguments: '{"note":"approved"}' } },
    ]);
    expect(received).toEqual([]);

    const history = [{ role: 'user', content: 'record it' }, choice?.message];
    const bad = await chat([...history, { role: 'tool', tool_call_id: 'call_ok', content: 'sure' }]);
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      error: { code: 'invalid_approval', message: expect.stringMatching(/awaits your approval/) },
    });
    expect(received).toEqual([]);

    const approved = await chat([...history, { role: 'tool', tool_call_id: 'call_ok', content: '{"approve": true}' }]);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(received).toEqual([{ note: 'approved' }]);
    expect(lastTool(1)?.content).toBe('recorded approved');
    const messages = (await call('GET', `/v1/agents/${agentId}/messages`)).body.data as {
      role: string;
      name?: string;
      content: string;
    }[];
    const results = messages.filter((message) => message.role === 'tool' && message.name === 'tools__record');
    expect(results.map((message) => message.content)).toEqual(['recorded approved']);

    harness.upstream.script(
      { toolCalls: [{ id: 'call_no', name: 'tools__record', arguments: { note: 'declined' } }] },
      sendMessage('Fine, I will not.'),
    );
    const again = await chat([{ role: 'user', content: 'record another' }]);
    const next = (again.body['choices'] as { message: Record<string, unknown> }[])[0]?.message;
    const declined = await chat([
      { role: 'user', content: 'record another' },
      next,
      { role: 'tool', tool_call_id: 'call_no', content: '{"approve": false, "reason": "not today"}' },
    ]);
    expect(declined.status).toBe(200);
    expect(received).toEqual([{ note: 'approved' }]);
    const seen = JSON.parse(String(lastTool(3)?.content)) as { status: string; message: string };
    expect(seen.status).toBe('Failed');
    expect(seen.message).toMatch(/declined.*not today/);
  });

  it('approval on the Responses API: a function_call item, approved with function_call_output', async () => {
    expect((await attach([{ server: 'tools', tool: 'record' }])).status).toBe(200);
    harness.upstream.script(
      { toolCalls: [{ id: 'call_resp', name: 'tools__record', arguments: { note: 'via responses' } }] },
      sendMessage('Recorded via Responses.'),
    );
    const first = await call('POST', '/v1/responses', { model: agentId, input: 'record it' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const [item] = first.body['output'] as { type: string; name: string; call_id: string; arguments: string }[];
    expect(item).toMatchObject({ type: 'function_call', name: 'tools__record', call_id: 'call_resp' });
    expect(JSON.parse(String(item?.arguments))).toEqual({ note: 'via responses' });
    expect(received).toEqual([]);
    const second = await call('POST', '/v1/responses', {
      model: agentId,
      previous_response_id: first.body['id'],
      input: [{ type: 'function_call_output', call_id: 'call_resp', output: '{"approve": true}' }],
    });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    const output = second.body['output'] as { type: string; content?: { text: string }[] }[];
    expect(output.find((entry) => entry.type === 'message')?.content?.[0]?.text).toBe('Recorded via Responses.');
    expect(received).toEqual([{ note: 'via responses' }]);
    expect(lastTool(1)?.content).toBe('recorded via responses');
  });

  it('a server that does not answer its listing costs one turn its timeout, not every turn after it', async () => {
    // Accepts connections and never answers: each listing waits for the server's timeout.
    let asked = 0;
    const silent = createServer(() => {
      asked++;
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const made = await call('POST', '/v1/mcp-servers', {
        name: 'silent',
        url: `http://127.0.0.1:${port}/mcp`,
        transport: 'streamable_http',
        timeout_ms: 300,
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const attached = await attach([{ server: 'silent', tool: 'echo' }]);
      expect(attached.status, JSON.stringify(attached.body)).toBe(200);
      for (const content of ['first', 'second', 'third']) {
        harness.upstream.script(sendMessage('Hi.'));
        expect((await chat([{ role: 'user', content }])).status).toBe(200);
      }
      // Its tools are left out of every turn; only the first turn asked the server.
      for (const request of harness.upstream.requests) {
        expect((request.body.tools as UpstreamTool[]).map((tool) => tool.function.name)).toEqual(MEMORY_TOOLS);
      }
      const askedByTurns = asked;
      expect(askedByTurns).toBeGreaterThan(0);
      harness.upstream.script(sendMessage('Hi.'));
      expect((await chat([{ role: 'user', content: 'fourth' }])).status).toBe(200);
      expect(asked).toBe(askedByTurns);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a deleted server’s attachment stays, listed as missing, and its tools leave the turn', async () => {
    const made = await call('POST', '/v1/mcp-servers', {
      name: 'gone',
      url: streamable.url,
      transport: 'streamable_http',
    });
    expect((await attach([{ server: 'gone', tool: 'echo' }])).status).toBe(200);
    expect((await call('DELETE', `/v1/mcp-servers/${made.body['id']}`)).status).toBe(204);
    const view = await call('GET', `/v1/agents/${agentId}/tools`);
    expect(view.body['attachments']).toEqual([
      { server_id: made.body['id'], server_name: null, tool: 'echo', all: false, missing: true },
    ]);
    expect(view.body['tools']).toEqual([]);
    harness.upstream.script(sendMessage('Hi.'));
    expect((await chat([{ role: 'user', content: 'hello' }])).status).toBe(200);
    const tools = harness.upstream.requests[0]?.body.tools as UpstreamTool[];
    expect(tools.map((tool) => tool.function.name)).toEqual(MEMORY_TOOLS);
  });
});
