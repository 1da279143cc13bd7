import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CorsOrigins, type Memgate, MemgateError, toErrorBody } from '@memgate/core';
import { handleCors } from './mcp-cors.ts';
import { McpSession } from './mcp-session.ts';
import { McpSessions } from './mcp-sessions.ts';

export interface McpAppOptions {
  /** Open sessions per user (MEMGATE_MCP_MAX_SESSIONS_PER_USER); the least recently used goes first. Default 16. */
  maxSessionsPerUser?: number;
  /** A session unused this long is closed (MEMGATE_MCP_SESSION_IDLE_MS). Default 30 minutes. */
  sessionIdleMs?: number;
  /** Largest request body (MEMGATE_BODY_LIMIT_BYTES). Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Reported to clients in `initialize`. */
  version?: string;
  /** Browser origins allowed (MEMGATE_CORS_ORIGINS); a browser request from another gets 403. Default: none. */
  corsOrigins?: CorsOrigins;
}

export interface McpApp {
  handleRequest(request: IncomingMessage, response: ServerResponse): void;
  /** Ends every session. */
  close(): Promise<void>;
}

/** Writes an error in the contract's shape (REST's), with its status. */
function sendError(response: ServerResponse, error: unknown, requestId: string): void {
  const normalised = MemgateError.fromUnknown(error);
  if (response.headersSent) {
    response.end();
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': requestId };
  if (normalised.status === 401) headers['www-authenticate'] = 'Bearer';
  if (normalised.retryAfterSeconds !== undefined) headers['retry-after'] = String(normalised.retryAfterSeconds);
  response.writeHead(normalised.status, headers).end(JSON.stringify(toErrorBody(normalised, requestId)));
}

async function readBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new MemgateError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`, {
        detailCode: 'payload_too_large',
      });
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new MemgateError('BAD_REQUEST', 'The request body is not valid JSON.', { detailCode: 'invalid_json' });
  }
}

function isInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((message) => (message as { method?: unknown } | null)?.method === 'initialize');
}

/**
 * memgate as an MCP server at `/mcp`: Streamable HTTP with stateful sessions, the user's API key
 * as bearer on every request (401 in the contract's shape otherwise). A thin adapter: tools and
 * resources call the core's services.
 */
export function createMcpApp(memgate: Memgate, options: McpAppOptions = {}): McpApp {
  const sessions = new McpSessions({
    maxPerUser: options.maxSessionsPerUser ?? 16,
    idleMs: options.sessionIdleMs ?? 30 * 60_000,
  });
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  const version = options.version ?? '0.1.0';
  const stopRevocations = memgate.events.onKeysRevoked((keyIds) => sessions.closeKeys(keyIds));

  const corsOrigins = options.corsOrigins ?? [];

  const handle = async (request: IncomingMessage, response: ServerResponse, requestId: string) => {
    if (handleCors(request, response, corsOrigins)) return;
    const principal = await memgate.admin.authenticate(request.headers.authorization);
    const sessionId = request.headers['mcp-session-id'];
    const body = request.method === 'POST' ? await readBody(request, limit) : undefined;
    let session: McpSession | undefined;
    if (typeof sessionId === 'string') {
      session = sessions.get(sessionId, principal.userId);
      if (!session) {
        // The spec's answer to an unknown or expired session: 404, and the client starts a new one.
        throw new MemgateError(
          'NOT_FOUND',
          `MCP session ${sessionId} not found (it expired or was closed): initialize a new one.`,
          {
            detailCode: 'mcp_session_not_found',
          },
        );
      }
    } else {
      if (request.method !== 'POST' || !isInitialize(body)) {
        throw new MemgateError('BAD_REQUEST', 'Send Mcp-Session-Id, or start a session with an initialize request.', {
          detailCode: 'mcp_session_required',
        });
      }
      session = new McpSession(memgate, principal, { version, onClose: (closed) => sessions.forget(closed) });
      await session.connect();
      sessions.add(session);
    }
    session.touch(principal, requestId);
    if (request.method === 'GET') {
      const listening = session;
      listening.openStreams += 1;
      response.once('close', () => {
        listening.openStreams -= 1;
        listening.lastUsed = Date.now();
      });
    }
    await session.transport.handleRequest(request, response, body);
  };

  return {
    handleRequest(request, response) {
      const header = request.headers['x-request-id'];
      const requestId = typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
      handle(request, response, requestId).catch((error: unknown) => sendError(response, error, requestId));
    },
    async close() {
      stopRevocations();
      await sessions.closeAll();
    },
  };
}
