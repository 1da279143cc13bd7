import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { McpConnectionConfig } from '@memgate/core';
import { MemgateError } from '@memgate/core';
import { startTestMcpServer, type TestMcpServer } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SdkMcpClientPool } from './sdk-client-pool.ts';

function config(
  server: { url: string; transport: 'streamable_http' | 'sse' },
  overrides: Partial<McpConnectionConfig> = {},
): McpConnectionConfig {
  return {
    id: `mcp-${server.transport}`,
    name: 'test',
    revision: 'r1',
    transport: server.transport,
    url: server.url,
    headers: {},
    timeoutMs: 2000,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<MemgateError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MemgateError);
  return error as MemgateError;
}

describe.each(['streamable_http', 'sse'] as const)('SdkMcpClientPool over %s', (transport) => {
  let server: TestMcpServer;
  let pool: SdkMcpClientPool;

  beforeAll(async () => {
    server = await startTestMcpServer({ transport });
    pool = new SdkMcpClientPool({ allowPrivate: true });
  });
  afterAll(async () => {
    await pool.close();
    await server.close();
  });

  it('calls a tool with arguments on one reused connection', async () => {
    const target = config(server);
    expect(await pool.callTool(target, 'echo', { text: 'hello' }, {})).toEqual({
      content: 'echo: hello',
      isError: false,
    });
    expect(await pool.callTool(target, 'add', { a: 2, b: 3 }, {})).toEqual({ content: '5', isError: false });
    expect((await pool.listTools(target, {})).tools.map((tool) => tool.name)).toContain('echo');
    expect(server.sessions()).toBe(1);
  });

  it('returns a tool’s error, and an unknown tool, as failed results', async () => {
    const target = config(server);
    expect(await pool.callTool(target, 'fail', {}, {})).toEqual({
      content: 'the tool failed on purpose',
      isError: true,
    });
    expect(await pool.callTool(target, 'nope', {}, {})).toMatchObject({ isError: true });
  });

  it('times out a slow call with 504 quickly, and the next call works', async () => {
    const target = config(server);
    const started = Date.now();
    const error = await rejection(pool.callTool(target, 'slow', { ms: 5000 }, { timeoutMs: 200 }));
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', detailCode: 'mcp_server_timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await pool.callTool(target, 'echo', { text: 'again' }, {})).toMatchObject({ content: 'echo: again' });
  });

  it('times out one call without failing another running beside it on the same connection', async () => {
    const target = config(server);
    const [slow, quick] = await Promise.allSettled([
      pool.callTool(target, 'slow', { ms: 5000 }, { timeoutMs: 200 }),
      pool.callTool(target, 'slow', { ms: 400 }, { timeoutMs: 2000 }),
    ]);
    expect(slow).toMatchObject({ status: 'rejected', reason: { code: 'UPSTREAM_TIMEOUT' } });
    expect(quick).toEqual({ status: 'fulfilled', value: { content: 'slow done', isError: false } });
  });

  it('stops a call when the caller aborts', async () => {
    const controller = new AbortController();
    const call = pool.callTool(config(server), 'slow', { ms: 5000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(new DOMException('left', 'AbortError')), 100);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails a call whose server dies mid-call with 502 before its timeout, and later calls at once', async () => {
    const dying = await startTestMcpServer({ transport });
    const target = config(dying, { id: `dying-${transport}`, timeoutMs: 3000 });
    expect(await pool.callTool(target, 'echo', { text: 'up' }, {})).toMatchObject({ isError: false });
    const call = pool.callTool(target, 'slow', { ms: 5000 }, {});
    setTimeout(() => void dying.close(), 100);
    const started = Date.now();
    const error = await rejection(call);
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', detailCode: 'mcp_server_unreachable' });
    expect(Date.now() - started).toBeLessThan(2000);
    // A later call finds no server: 502 at once, not a hang.
    expect(await rejection(pool.callTool(target, 'echo', { text: 'x' }, {}))).toMatchObject({
      code: 'UPSTREAM_ERROR',
      detailCode: 'mcp_server_unreachable',
    });
  });

  it('drops a connection made with older settings (a new revision) and on release', async () => {
    const before = server.sessions();
    await pool.callTool(config(server, { revision: 'r2' }), 'echo', { text: 'a' }, {});
    expect(server.sessions()).toBe(before + 1);
    await pool.release(config(server).id);
    await pool.callTool(config(server, { revision: 'r2' }), 'echo', { text: 'b' }, {});
    expect(server.sessions()).toBe(before + 2);
  });
});

describe('SdkMcpClientPool connection bounds', () => {
  it('closes idle connections and the least recently used one past its maximum; the next call reconnects', async () => {
    const server = await startTestMcpServer();
    const pool = new SdkMcpClientPool({ allowPrivate: true, idleMs: 200, maxConnections: 2 });
    try {
      const target = (id: string) => config(server, { id });
      await pool.callTool(target('a'), 'echo', { text: '1' }, {});
      await pool.callTool(target('b'), 'echo', { text: '2' }, {});
      expect(pool.size).toBe(2);
      await pool.callTool(target('c'), 'echo', { text: '3' }, {});
      expect(pool.size).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(pool.size).toBe(0);
      expect(await pool.callTool(target('a'), 'echo', { text: 'back' }, {})).toMatchObject({ content: 'echo: back' });
      expect(server.sessions()).toBe(4);
    } finally {
      await pool.close();
      await server.close();
    }
  });
});

describe('SdkMcpClientPool guards', () => {
  it('refuses to connect to a private address without allowPrivate, whatever the DNS says at connect time', async () => {
    const server = await startTestMcpServer();
    const pool = new SdkMcpClientPool();
    try {
      const url = server.url.replace('127.0.0.1', 'localhost');
      const error = await rejection(pool.listTools(config({ url, transport: 'streamable_http' }), {}));
      expect(error).toMatchObject({ code: 'UPSTREAM_ERROR' });
      expect(error.message).toMatch(/private|loopback/);
      expect(server.requests).toHaveLength(0);
    } finally {
      await pool.close();
      await server.close();
    }
  });

  it('runs a stdio server (operator file only) as a local process', async () => {
    const script = join(tmpdir(), `memgate-stdio-${process.pid}.mjs`);
    const sdk = import.meta.resolve('@modelcontextprotocol/sdk/server/index.js');
    const stdio = import.meta.resolve('@modelcontextprotocol/sdk/server/stdio.js');
    const types = import.meta.resolve('@modelcontextprotocol/sdk/types.js');
    writeFileSync(
      script,
      `import { Server } from ${JSON.stringify(sdk)};
       import { StdioServerTransport } from ${JSON.stringify(stdio)};
       import { CallToolRequestSchema, ListToolsRequestSchema } from ${JSON.stringify(types)};
       const server = new Server({ name: 'stdio-test', version: '1' }, { capabilities: { tools: {} } });
       server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'whoami', inputSchema: { type: 'object' } }] }));
       server.setRequestHandler(CallToolRequestSchema, async () => ({ content: [{ type: 'text', text: 'stdio:' + (process.env.MEMGATE_SECRET_KEY ?? 'no secret') }] }));
       await server.connect(new StdioServerTransport());`,
    );
    const pool = new SdkMcpClientPool();
    try {
      const target: McpConnectionConfig = {
        id: 'mcp-file-local',
        name: 'local',
        revision: 'file',
        transport: 'stdio',
        command: process.execPath,
        args: [script],
        env: {},
        timeoutMs: 10_000,
      };
      expect((await pool.listTools(target, {})).tools).toEqual([
        { name: 'whoami', description: null, inputSchema: { type: 'object' } },
      ]);
      process.env['MEMGATE_SECRET_KEY'] = 'must-not-leak-into-the-child';
      await pool.release(target.id);
      // The child inherits the PATH and locale, not memgate's secrets.
      expect(await pool.callTool(target, 'whoami', {}, {})).toEqual({ content: 'stdio:no secret', isError: false });
    } finally {
      delete process.env['MEMGATE_SECRET_KEY'];
      await pool.close();
    }
  });
});
