import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/** A tool the test server offers: its description as listed, and what a call answers. */
export interface TestMcpTool {
  name: string;
  description?: string;
  /** Listed as given, even when it is not a valid schema (to test memgate's checks). */
  inputSchema: unknown;
  run: (args: Record<string, unknown>, signal: AbortSignal) => Promise<{ text: string; isError?: boolean }>;
}

export interface TestMcpServer {
  /** `http://127.0.0.1:<port>/mcp` (Streamable HTTP) or `…/sse` (SSE). */
  url: string;
  transport: 'streamable_http' | 'sse';
  /** The headers of every HTTP request it received, in order. */
  requests: IncomingHttpHeaders[];
  /** How many MCP sessions (connections) were initialised. */
  sessions(): number;
  /** Stops answering: open connections are cut. */
  close(): Promise<void>;
}

/** Tools for tests: echo, add, a failing one, a slow one, and two a model cannot use. */
export const TEST_MCP_TOOLS: TestMcpTool[] = [
  {
    name: 'echo',
    description: 'Echoes the text.',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    run: async (args) => ({ text: `echo: ${String(args['text'])}` }),
  },
  {
    name: 'add',
    description: 'Adds two numbers.',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    run: async (args) => ({ text: String(Number(args['a']) + Number(args['b'])) }),
  },
  {
    name: 'fail',
    description: 'Always fails.',
    inputSchema: { type: 'object', properties: {} },
    run: async () => ({ text: 'the tool failed on purpose', isError: true }),
  },
  {
    name: 'slow',
    description: 'Answers after `ms` milliseconds.',
    inputSchema: { type: 'object', properties: { ms: { type: 'number' } } },
    run: (args, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ text: 'slow done' }), Number(args['ms'] ?? 1000));
        signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
      }),
  },
  {
    name: 'has spaces!',
    description: 'A name no model accepts.',
    inputSchema: { type: 'object', properties: {} },
    run: async () => ({ text: 'spaces' }),
  },
  {
    name: 'array_schema',
    description: 'Parameters that are not an object.',
    inputSchema: { type: 'array', items: { type: 'string' } },
    run: async () => ({ text: 'array' }),
  },
];

function mcpServerFor(tools: TestMcpTool[]): Server {
  const server = new Server({ name: 'memgate-test-mcp', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(
    ListToolsRequestSchema,
    async () =>
      ({
        tools: tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema })),
      }) as never,
  );
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = tools.find((candidate) => candidate.name === request.params.name);
    if (!tool) return { content: [{ type: 'text', text: `unknown tool ${request.params.name}` }], isError: true };
    const result = await tool.run(request.params.arguments ?? {}, extra.signal);
    return { content: [{ type: 'text', text: result.text }], isError: result.isError ?? false };
  });
  return server;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

/**
 * A real MCP server (the SDK's `Server`) on 127.0.0.1, port 0, over Streamable HTTP (stateful
 * sessions, at `/mcp`) or the older SSE transport (`/sse` and `/messages`).
 */
export async function startTestMcpServer(
  options: { transport?: 'streamable_http' | 'sse'; tools?: TestMcpTool[] } = {},
): Promise<TestMcpServer> {
  const transport = options.transport ?? 'streamable_http';
  const tools = options.tools ?? TEST_MCP_TOOLS;
  const requests: IncomingHttpHeaders[] = [];
  const streamable = new Map<string, StreamableHTTPServerTransport>();
  const sse = new Map<string, SSEServerTransport>();
  let sessions = 0;
  const http: HttpServer = createServer(async (request, response) => {
    requests.push(request.headers);
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (transport === 'streamable_http' && url.pathname === '/mcp') {
        const sessionId = request.headers['mcp-session-id'];
        let session = typeof sessionId === 'string' ? streamable.get(sessionId) : undefined;
        const body = request.method === 'POST' ? await readJson(request) : undefined;
        if (!session) {
          if (typeof sessionId === 'string') {
            response.writeHead(404).end();
            return;
          }
          const created = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            onsessioninitialized: (id) => {
              sessions += 1;
              streamable.set(id, created);
            },
          });
          await mcpServerFor(tools).connect(created);
          session = created;
        }
        await session.handleRequest(request, response, body);
        return;
      }
      if (transport === 'sse' && url.pathname === '/sse' && request.method === 'GET') {
        const session = new SSEServerTransport('/messages', response);
        sse.set(session.sessionId, session);
        sessions += 1;
        response.on('close', () => sse.delete(session.sessionId));
        await mcpServerFor(tools).connect(session);
        return;
      }
      if (transport === 'sse' && url.pathname === '/messages' && request.method === 'POST') {
        const session = sse.get(url.searchParams.get('sessionId') ?? '');
        if (!session) {
          response.writeHead(404).end();
          return;
        }
        await session.handlePostMessage(request, response, await readJson(request));
        return;
      }
      response.writeHead(404).end();
    } catch (error) {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${transport === 'sse' ? '/sse' : '/mcp'}`,
    transport,
    requests,
    sessions: () => sessions,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
