import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SdkMcpClientPool } from '@memgate/mcp';
import { startTestMcpServer, type TestMcpServer } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

const SECRET_KEY = 'a-test-secret-key-of-at-least-32-characters';
const TOKEN = 'sk-mcp-credential-that-must-never-be-stored-in-clear';

interface ToolList {
  server_name: string;
  cached: boolean;
  data: {
    name: string;
    tool: string;
    allowed: boolean;
    requires_approval: boolean;
    usable: boolean;
    warning: string | null;
    input_schema: unknown;
  }[];
}

/** Every byte of the SQLite database (file and WAL), to look for a secret in it. */
function databaseBytes(dataDir: string): string {
  return ['memgate.sqlite', 'memgate.sqlite-wal']
    .map((file) => {
      try {
        return readFileSync(join(dataDir, file)).toString('latin1');
      } catch {
        return '';
      }
    })
    .join('');
}

/** An HTTP server that accepts requests and never answers them. */
async function startSilentServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

describe('MCP servers as tool sources (/v1/mcp-servers)', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let other: ReturnType<typeof api>;
  let streamable: TestMcpServer;
  let sse: TestMcpServer;

  beforeAll(async () => {
    [streamable, sse] = await Promise.all([startTestMcpServer(), startTestMcpServer({ transport: 'sse' })]);
    harness = await startRestHarness({
      mcp: { pool: new SdkMcpClientPool({ allowPrivate: true }), secretKey: SECRET_KEY, allowPrivate: true },
    });
    call = api(harness.baseUrl, harness.apiKey);
    other = api(harness.baseUrl, harness.otherApiKey);
  });
  afterAll(async () => {
    await harness.close();
    await Promise.all([streamable.close(), sse.close()]);
  });

  it('creates, reads, lists, updates and deletes a server; headers are encrypted at rest and only their names shown', async () => {
    const created = await call('POST', '/v1/mcp-servers', {
      name: 'search',
      url: streamable.url,
      transport: 'streamable_http',
      headers: { Authorization: `Bearer ${TOKEN}`, 'X-Team': 'red' },
      allowed_tools: ['echo', 'add'],
      require_approval: ['add'],
      timeout_ms: 5000,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body['id'] as string;
    expect(created.body).toEqual({
      id: expect.stringMatching(/^mcp-/),
      object: 'mcp_server',
      name: 'search',
      transport: 'streamable_http',
      url: streamable.url,
      header_names: ['Authorization', 'X-Team'],
      allowed_tools: ['echo', 'add'],
      require_approval: ['add'],
      timeout_ms: 5000,
      source: 'api',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(JSON.stringify(created.body)).not.toContain(TOKEN);
    expect(databaseBytes(harness.dataDir)).not.toContain(TOKEN);
    expect(databaseBytes(harness.dataDir)).not.toContain('red');

    const read = await call('GET', `/v1/mcp-servers/${id}`);
    expect(read.body).toEqual(created.body);
    const list = await call('GET', '/v1/mcp-servers');
    expect(list.body).toEqual({ object: 'list', data: [created.body] });

    // The decrypted headers reach the server.
    const before = streamable.requests.length;
    const tools = await call('GET', `/v1/mcp-servers/${id}/tools`);
    expect(tools.status, JSON.stringify(tools.body)).toBe(200);
    const sent = streamable.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((headers) => headers.authorization === `Bearer ${TOKEN}` && headers['x-team'] === 'red')).toBe(
      true,
    );

    const patched = await call('PATCH', `/v1/mcp-servers/${id}`, {
      headers: { Authorization: 'Bearer rotated' },
      require_approval: 'never',
      allowed_tools: null,
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({
      header_names: ['Authorization'],
      require_approval: 'never',
      allowed_tools: null,
      timeout_ms: 5000,
    });
    // A change of settings drops the cached list and the connection: the new header is used.
    const after = streamable.requests.length;
    const again = await call('GET', `/v1/mcp-servers/${id}/tools`);
    expect((again.body as unknown as ToolList).cached).toBe(false);
    expect(streamable.requests.slice(after).every((headers) => headers.authorization === 'Bearer rotated')).toBe(true);

    const cleared = await call('PATCH', `/v1/mcp-servers/${id}`, { headers: null });
    expect(cleared.body['header_names']).toEqual([]);

    expect((await call('DELETE', `/v1/mcp-servers/${id}`)).status).toBe(204);
    expect((await call('GET', `/v1/mcp-servers/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/mcp-servers/${id}`)).status).toBe(404);
  });

  it('lists a server’s tools live over Streamable HTTP, prefixed, with unusable ones warned about; cached until refreshed', async () => {
    const created = await call('POST', '/v1/mcp-servers', {
      name: 'tools_http',
      url: streamable.url,
      allowed_tools: ['echo', 'fail'],
      require_approval: ['fail'],
    });
    const id = created.body['id'] as string;
    const first = await call('GET', `/v1/mcp-servers/${id}/tools`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const listing = first.body as unknown as ToolList;
    expect(listing.cached).toBe(false);
    expect(listing.server_name).toBe('tools_http');
    const byTool = Object.fromEntries(listing.data.map((tool) => [tool.tool, tool]));
    expect(Object.keys(byTool)).toEqual(['echo', 'add', 'fail', 'slow', 'has spaces!', 'array_schema']);
    expect(byTool['echo']).toEqual({
      name: 'tools_http__echo',
      tool: 'echo',
      description: 'Echoes the text.',
      input_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      allowed: true,
      requires_approval: false,
      usable: true,
      warning: null,
    });
    expect(byTool['add']).toMatchObject({ allowed: false, requires_approval: false, usable: true });
    expect(byTool['fail']).toMatchObject({ allowed: true, requires_approval: true, usable: true });
    expect(byTool['has spaces!']).toMatchObject({
      usable: false,
      warning: expect.stringContaining('characters outside'),
    });
    expect(byTool['array_schema']).toMatchObject({
      usable: false,
      warning: expect.stringContaining('must be an object'),
    });

    const sessions = streamable.sessions();
    const cached = await call('GET', `/v1/mcp-servers/${id}/tools`);
    expect((cached.body as unknown as ToolList).cached).toBe(true);
    expect(cached.body['data']).toEqual(listing.data);
    const refreshed = await call('GET', `/v1/mcp-servers/${id}/tools?refresh=true`);
    expect((refreshed.body as unknown as ToolList).cached).toBe(false);
    // The refresh reused the open connection.
    expect(streamable.sessions()).toBe(sessions);
    expect((await call('GET', `/v1/mcp-servers/${id}/tools?refresh=maybe`)).status).toBe(422);
  });

  it('lists tools over SSE', async () => {
    const created = await call('POST', '/v1/mcp-servers', { name: 'tools_sse', url: sse.url, transport: 'sse' });
    expect(created.status).toBe(201);
    const tools = await call('GET', `/v1/mcp-servers/${created.body['id']}/tools`);
    expect(tools.status, JSON.stringify(tools.body)).toBe(200);
    const names = (tools.body as unknown as ToolList).data.map((tool) => tool.name);
    expect(names).toContain('tools_sse__echo');
    expect(names).toContain('tools_sse__add');
    // A new server defaults to approval for every tool, as OpenAI's remote MCP tool does.
    expect((tools.body as unknown as ToolList).data.every((tool) => tool.requires_approval)).toBe(true);
  });

  it('answers 502 for a server that is down and 504 for one that does not answer, quickly', async () => {
    const down = await startTestMcpServer();
    const downUrl = down.url;
    await down.close();
    const dead = await call('POST', '/v1/mcp-servers', { name: 'dead', url: downUrl });
    const started = Date.now();
    const unreachable = await call('GET', `/v1/mcp-servers/${dead.body['id']}/tools`);
    expect(unreachable.status, JSON.stringify(unreachable.body)).toBe(502);
    expect(unreachable.body['error']).toMatchObject({
      code: 'mcp_server_unreachable',
      message: expect.stringContaining('"dead"'),
    });

    const silent = await startSilentServer();
    try {
      const hung = await call('POST', '/v1/mcp-servers', { name: 'hung', url: silent.url, timeout_ms: 300 });
      const timedOut = await call('GET', `/v1/mcp-servers/${hung.body['id']}/tools`);
      expect(timedOut.status, JSON.stringify(timedOut.body)).toBe(504);
      expect(timedOut.body['error']).toMatchObject({ code: 'mcp_server_timeout' });
    } finally {
      silent.server.closeAllConnections();
      silent.server.close();
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps users apart: another user’s server is 404 everywhere', async () => {
    const created = await call('POST', '/v1/mcp-servers', { name: 'private_one', url: streamable.url });
    const id = created.body['id'] as string;
    for (const [method, path, body] of [
      ['GET', `/v1/mcp-servers/${id}`],
      ['PATCH', `/v1/mcp-servers/${id}`, { name: 'mine' }],
      ['DELETE', `/v1/mcp-servers/${id}`],
      ['GET', `/v1/mcp-servers/${id}/tools`],
    ] as const) {
      const answer = await other(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body['error']).toMatchObject({ code: 'mcp_server_not_found' });
    }
    const theirs = await other('GET', '/v1/mcp-servers');
    expect(theirs.body['data']).toEqual([]);
    // Bob may use the same name.
    expect((await other('POST', '/v1/mcp-servers', { name: 'private_one', url: streamable.url })).status).toBe(201);
    expect((await call('GET', `/v1/mcp-servers/${id}`)).status).toBe(200);
  });

  it('refuses bad input with 4xx and stores nothing', async () => {
    const count = async () => ((await call('GET', '/v1/mcp-servers')).body['data'] as unknown[]).length;
    const before = await count();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: 'x', url: 'ftp://example.com/mcp' }, 422, 'url'],
      [{ name: 'x', url: 'file:///etc/passwd' }, 422, 'url'],
      [{ name: 'x', url: 'not a url' }, 422, 'url'],
      [{ name: 'x', url: 'https://user:pw@example.com/mcp' }, 422, 'url'],
      [{ name: 'bad name', url: streamable.url }, 422, 'name'],
      [{ name: 'a__b', url: streamable.url }, 422, 'name'],
      [{ name: 'x'.repeat(49), url: streamable.url }, 422, 'name'],
      [{ name: 'x', url: streamable.url, transport: 'stdio' }, 422, 'transport'],
      [{ name: 'x', url: streamable.url, headers: { 'Content-Type': 'text/plain' } }, 422, 'headers.Content-Type'],
      [{ name: 'x', url: streamable.url, headers: { 'X-A': 'a\r\nb' } }, 422, 'headers.X-A'],
      [{ name: 'x', url: streamable.url, timeout_ms: 0 }, 422, 'timeout_ms'],
      [{ name: 'x', url: streamable.url, require_approval: 'sometimes' }, 422, 'require_approval'],
      [{ name: 'x', url: streamable.url, command: 'rm' }, 422, 'command'],
    ];
    for (const [body, status, param] of cases) {
      const answer = await call('POST', '/v1/mcp-servers', body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect((answer.body['error'] as { param: string }).param, JSON.stringify(answer.body)).toBe(param);
    }
    await call('POST', '/v1/mcp-servers', { name: 'taken', url: streamable.url });
    const clash = await call('POST', '/v1/mcp-servers', { name: 'taken', url: sse.url });
    expect(clash.status).toBe(409);
    const second = await call('POST', '/v1/mcp-servers', { name: 'second', url: streamable.url });
    const rename = await call('PATCH', `/v1/mcp-servers/${second.body['id']}`, { name: 'taken' });
    expect(rename.status).toBe(409);
    expect((await call('GET', `/v1/mcp-servers/${second.body['id']}`)).body['name']).toBe('second');
    expect((await call('PATCH', `/v1/mcp-servers/${second.body['id']}`, { url: 'gopher://x' })).status).toBe(422);
    expect(await count()).toBe(before + 2);

    const readOnly = api(harness.baseUrl, harness.readApiKey);
    expect((await readOnly('POST', '/v1/mcp-servers', { name: 'ro', url: streamable.url })).status).toBe(403);
    expect((await readOnly('GET', '/v1/mcp-servers')).status).toBe(200);
    expect((await api(harness.baseUrl, 'mg-wrong')('GET', '/v1/mcp-servers')).status).toBe(401);
  });
});

describe('MCP server addresses and secrets, as the operator configures them', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    // No MEMGATE_MCP_ALLOW_PRIVATE, no MEMGATE_SECRET_KEY.
    harness = await startRestHarness({ mcp: { pool: new SdkMcpClientPool() } });
    call = api(harness.baseUrl, harness.apiKey);
  });
  afterAll(() => harness.close());

  it('refuses loopback, link-local and private addresses (SSRF) unless MEMGATE_MCP_ALLOW_PRIVATE=1', async () => {
    for (const url of [
      'http://127.0.0.1:8080/mcp',
      'http://localhost/mcp',
      'http://[::1]/mcp',
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/mcp',
      'http://192.168.0.10/mcp',
      'http://172.16.5.4/mcp',
      'http://[::ffff:127.0.0.1]/mcp',
      'http://[fe80::1]/mcp',
      'http://0.0.0.0/mcp',
    ]) {
      const answer = await call('POST', '/v1/mcp-servers', { name: 'inside', url });
      expect(answer.status, url).toBe(422);
      expect(answer.body['error'], url).toMatchObject({ code: 'invalid_mcp_server_url', param: 'url' });
    }
    expect((await call('GET', '/v1/mcp-servers')).body['data']).toEqual([]);
  });

  it('refuses headers when no MEMGATE_SECRET_KEY is set, saying so', async () => {
    const answer = await call('POST', '/v1/mcp-servers', {
      name: 'with_headers',
      url: 'https://93.184.215.14/mcp',
      headers: { Authorization: 'Bearer x' },
    });
    expect(answer.status).toBe(422);
    expect(answer.body['error']).toMatchObject({ code: 'secret_key_not_configured', param: 'headers' });
    expect((answer.body['error'] as { message: string }).message).toContain('MEMGATE_SECRET_KEY');
    expect((await call('GET', '/v1/mcp-servers')).body['data']).toEqual([]);
  });
});

describe('the operator’s MCP servers (MEMGATE_MCP_SERVERS_FILE)', () => {
  let harness: RestHarness;
  let mcp: TestMcpServer;

  beforeAll(async () => {
    mcp = await startTestMcpServer();
    // No MEMGATE_MCP_ALLOW_PRIVATE: the operator's own server may still be on a private address.
    harness = await startRestHarness({
      mcp: {
        pool: new SdkMcpClientPool(),
        fileServers: [
          {
            name: 'ops',
            transport: 'streamable_http',
            url: mcp.url,
            headers: { 'X-Ops': 'operator-secret' },
            allowedTools: ['echo'],
            requireApproval: 'never',
            timeoutMs: 5000,
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await mcp?.close();
  });

  it('lists them to every user, read-only, with their tools, and keeps their names', async () => {
    for (const key of [harness.apiKey, harness.otherApiKey]) {
      const list = await api(harness.baseUrl, key)('GET', '/v1/mcp-servers');
      expect(list.body['data']).toEqual([
        {
          id: 'mcp-file-ops',
          object: 'mcp_server',
          name: 'ops',
          transport: 'streamable_http',
          url: mcp.url,
          header_names: ['X-Ops'],
          allowed_tools: ['echo'],
          require_approval: 'never',
          timeout_ms: 5000,
          source: 'file',
          created_at: null,
          updated_at: null,
        },
      ]);
    }
    const call = api(harness.baseUrl, harness.apiKey);
    const tools = await call('GET', '/v1/mcp-servers/mcp-file-ops/tools');
    expect(tools.status, JSON.stringify(tools.body)).toBe(200);
    expect((tools.body as unknown as ToolList).data.find((tool) => tool.tool === 'echo')).toMatchObject({
      name: 'ops__echo',
      allowed: true,
      requires_approval: false,
    });
    expect(mcp.requests.at(-1)?.['x-ops']).toBe('operator-secret');
    expect((await call('PATCH', '/v1/mcp-servers/mcp-file-ops', { name: 'mine' })).status).toBe(403);
    expect((await call('DELETE', '/v1/mcp-servers/mcp-file-ops')).status).toBe(403);
    const clash = await call('POST', '/v1/mcp-servers', { name: 'ops', url: 'https://93.184.215.14/mcp' });
    expect(clash.status).toBe(409);
    expect(clash.body['error']).toMatchObject({ code: 'mcp_server_name_taken' });
  });
});
