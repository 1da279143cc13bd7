import {
  isAbortError,
  type McpClientPool,
  type McpConnectionConfig,
  type McpRemoteTool,
  type McpToolResult,
  MemgateError,
} from '@memgate/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { publicOnlyFetch } from './guarded-fetch.ts';
import { toolResultText } from './tool-result-text.ts';
import { createTransport } from './transports.ts';

/** Most pages of `tools/list` read from one server (a server that pages forever is cut off). */
const MAX_TOOL_PAGES = 20;

/**
 * `tools/list` read loosely: the SDK's own schema rejects the whole list when one tool's input
 * schema is not an object, and memgate must list such a tool with a warning instead.
 */
const looseToolList = z.looseObject({
  tools: z.array(z.looseObject({ name: z.string(), description: z.string().optional(), inputSchema: z.unknown() })),
  nextCursor: z.string().optional(),
});

export interface SdkMcpClientPoolOptions {
  /** MEMGATE_MCP_ALLOW_PRIVATE: connections to users' servers may reach private addresses. */
  allowPrivate?: boolean;
  /** Reported to servers in `initialize`. */
  clientVersion?: string;
  /** A connection unused this long is closed (the next call reconnects). Default 5 minutes. */
  idleMs?: number;
  /** Most open connections; one more closes the least recently used. Default 1000. */
  maxConnections?: number;
}

interface Connection {
  revision: string;
  client: Promise<Client>;
  /** The transport error that ended it, the reason a failed call reports. */
  failure?: unknown;
  lastUsed: number;
  /** Requests running on it: a busy connection is never idle. */
  active: number;
}

/**
 * The MCP client pool over the official SDK: one connected `Client` per server, made on first
 * use and reused by every call; dropped when the server's settings change (`revision`), on
 * `release`, when the transport closes or fails, and on `close`. Every request runs under the
 * server's timeout (connecting included), so a dead server fails fast instead of hanging.
 */
export class SdkMcpClientPool implements McpClientPool {
  readonly #connections = new Map<string, Connection>();
  readonly #fetch: typeof fetch | undefined;
  readonly #clientVersion: string;
  readonly #idleMs: number;
  readonly #maxConnections: number;
  readonly #sweeper: NodeJS.Timeout;
  #closed = false;

  constructor(options: SdkMcpClientPoolOptions = {}) {
    this.#fetch = options.allowPrivate ? undefined : publicOnlyFetch();
    this.#clientVersion = options.clientVersion ?? '0.1.0';
    this.#idleMs = options.idleMs ?? 5 * 60_000;
    this.#maxConnections = options.maxConnections ?? 1000;
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(60_000, Math.max(100, this.#idleMs / 2)));
    this.#sweeper.unref();
  }

  /** Open (or opening) connections. */
  get size(): number {
    return this.#connections.size;
  }

  async listTools(server: McpConnectionConfig, options: { signal?: AbortSignal }): Promise<{ tools: McpRemoteTool[] }> {
    return this.#run(server, server.timeoutMs, options.signal, async (client, signal) => {
      const tools: McpRemoteTool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TOOL_PAGES; page += 1) {
        const request = { method: 'tools/list' as const, ...(cursor && { params: { cursor } }) };
        const result = await client.request(request, looseToolList, { signal, timeout: server.timeoutMs });
        for (const tool of result.tools) {
          tools.push({ name: tool.name, description: tool.description ?? null, inputSchema: tool.inputSchema });
        }
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return { tools };
    });
  }

  async callTool(
    server: McpConnectionConfig,
    toolName: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<McpToolResult> {
    const timeoutMs = options.timeoutMs ?? server.timeoutMs;
    return this.#run(server, timeoutMs, options.signal, async (client, signal) => {
      try {
        const result = await client.callTool({ name: toolName, arguments: args }, undefined, {
          signal,
          timeout: timeoutMs,
        });
        // A legacy (protocol 2024-10-07) server answers with `toolResult` instead of `content`.
        if ('toolResult' in result && !('content' in result)) {
          return { content: JSON.stringify(result.toolResult), isError: false };
        }
        return {
          content: toolResultText(result as { content?: unknown; structuredContent?: unknown }),
          isError: result.isError === true,
        };
      } catch (error) {
        // The server answered, with a JSON-RPC error for this call (unknown tool, bad arguments…): a failed result.
        if (error instanceof McpError && !isTransportFailure(error)) return { content: error.message, isError: true };
        throw error;
      }
    });
  }

  async release(serverId: string): Promise<void> {
    const connection = this.#connections.get(serverId);
    if (!connection) return;
    this.#connections.delete(serverId);
    await closeQuietly(connection);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    const connections = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(connections.map(closeQuietly));
  }

  /** Runs one request on the server's client under a deadline; a failure of the connection drops it. */
  async #run<T>(
    server: McpConnectionConfig,
    timeoutMs: number,
    callerSignal: AbortSignal | undefined,
    work: (client: Client, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (this.#closed)
      throw new MemgateError('SERVICE_UNAVAILABLE', 'memgate is shutting down.', { detailCode: 'shutting_down' });
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
    const connection = this.#connection(server);
    connection.active += 1;
    let connected = false;
    try {
      const client = await abortable(connection.client, signal);
      connected = true;
      return await work(client, signal);
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason ?? error;
      // A call that timed out on a working connection leaves it to the calls running beside it (the
      // SDK tells the server the request is cancelled); any other failure is the connection's: the
      // next call starts a fresh one.
      const callTimedOut =
        connected && (deadline.aborted || (error instanceof McpError && error.code === ErrorCode.RequestTimeout));
      if (!callTimedOut) this.#drop(server.id, connection);
      const closed = error instanceof McpError && error.code === ErrorCode.ConnectionClosed;
      throw toMemgateError(server, closed && connection.failure ? connection.failure : error, deadline.aborted);
    } finally {
      connection.active -= 1;
      connection.lastUsed = Date.now();
    }
  }

  /** Closes connections unused for `idleMs`, then the least recently used past `maxConnections`. */
  #sweep(): void {
    const now = Date.now();
    const idle = [...this.#connections].filter(([, connection]) => connection.active === 0);
    for (const [id, connection] of idle) {
      if (now - connection.lastUsed > this.#idleMs) this.#drop(id, connection);
    }
  }

  #drop(id: string, connection: Connection): void {
    if (this.#connections.get(id) === connection) this.#connections.delete(id);
    void closeQuietly(connection);
  }

  #connection(server: McpConnectionConfig): Connection {
    const existing = this.#connections.get(server.id);
    if (existing && existing.revision === server.revision) return existing;
    if (existing) void closeQuietly(existing);
    const connection = { revision: server.revision, lastUsed: Date.now(), active: 0 } as Connection;
    connection.client = this.#connect(server, connection);
    if (this.#connections.size >= this.#maxConnections) {
      const oldest = [...this.#connections]
        .filter(([, open]) => open.active === 0)
        .sort(([, a], [, b]) => a.lastUsed - b.lastUsed)[0];
      if (oldest) this.#drop(oldest[0], oldest[1]);
    }
    // Awaited by #run; this only keeps a failed connect from being an unhandled rejection.
    connection.client.catch(() => undefined);
    this.#connections.set(server.id, connection);
    return connection;
  }

  async #connect(server: McpConnectionConfig, connection: Connection): Promise<Client> {
    const client = new Client({ name: 'memgate', version: this.#clientVersion }, { capabilities: {} });
    const transport = createTransport(server, server.trusted ? undefined : this.#fetch);
    client.onclose = () => {
      const current = this.#connections.get(server.id);
      if (current && current.client === connecting) this.#connections.delete(server.id);
    };
    // A transport error (a stream cut mid-call, a server gone) leaves pending requests waiting for
    // answers that will never come: closing the client fails them at once (ConnectionClosed → 502),
    // and the next call reconnects.
    client.onerror = (error) => {
      connection.failure ??= error;
      void client.close().catch(() => undefined);
    };
    const connecting = client.connect(transport, { timeout: server.timeoutMs }).then(
      () => client,
      async (error: unknown) => {
        await client.close().catch(() => undefined);
        throw error;
      },
    );
    return connecting;
  }
}

async function closeQuietly(connection: Connection): Promise<void> {
  const client = await connection.client.catch(() => null);
  await client?.close().catch(() => undefined);
}

/** Resolves with the promise, or rejects as soon as the signal aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function isTransportFailure(error: McpError): boolean {
  return error.code === ErrorCode.ConnectionClosed || error.code === ErrorCode.RequestTimeout;
}

function toMemgateError(server: McpConnectionConfig, error: unknown, timedOut: boolean): MemgateError {
  if (error instanceof MemgateError) return error;
  if (timedOut || (error instanceof McpError && error.code === ErrorCode.RequestTimeout) || isAbortError(error)) {
    return new MemgateError(
      'UPSTREAM_TIMEOUT',
      `MCP server "${server.name}" did not answer within ${server.timeoutMs} ms.`,
      {
        detailCode: 'mcp_server_timeout',
        cause: error,
      },
    );
  }
  return new MemgateError('UPSTREAM_ERROR', `MCP server "${server.name}" is unreachable: ${reasonOf(error)}`, {
    detailCode: 'mcp_server_unreachable',
    cause: error,
  });
}

/** A short, one-line reason: the error's own message, or its cause's (fetch failures hide it there). */
function reasonOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
  const message = error instanceof Error ? error.message : String(error);
  const detail = cause && message === 'fetch failed' ? cause.message : message;
  // A schema failure's message is a JSON dump of its issues: say what it means instead.
  if (error instanceof z.ZodError || detail.startsWith('[')) return 'its answer is not valid MCP.';
  const line = detail.split('\n')[0] ?? 'unknown error';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
