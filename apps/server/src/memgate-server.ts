import type { Server } from 'node:http';
import type { CorsOrigins, Memgate } from '@memgate/core';
import { createGraphqlApp } from '@memgate/graphql';
import { createMcpApp } from '@memgate/mcp-server';
import { createRestApp } from '@memgate/rest';
import {
  closeServer,
  createSharedServer,
  listen,
  type Mount,
  metricsHandler,
  type Observability,
  quietObservability,
  type StreamLimits,
  UserConnections,
} from '@memgate/runtime';
import { createChatChannel } from '@memgate/ws';
import { createConsoleHandler, defaultConsoleDirectory } from './console/index.ts';

export interface MemgateServerOptions {
  memgate: Memgate;
  port?: number;
  host?: string;
  bodyLimitBytes?: number;
  /** Browser origins allowed on every protocol (MEMGATE_CORS_ORIGINS). Default: none. */
  corsOrigins?: CorsOrigins;
  /** MEMGATE_GRAPHQL_INTROSPECTION: false refuses GraphQL introspection. Default: true. */
  graphqlIntrospection?: boolean;
  /** The process's logger and metrics (the runtime's); default: silent, with a registry of its own. */
  observability?: Observability;
  /** MEMGATE_METRICS_TOKEN: `GET /metrics` then requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Slow readers of streams (MEMGATE_STREAM_STALL_MS, MEMGATE_STREAM_MAX_BUFFER_BYTES). Default 30 s, 16 MiB. */
  stream?: StreamLimits;
  /** Open TCP connections past which requests are answered 503 (MEMGATE_MAX_CONNECTIONS). Default: no cap. */
  maxConnections?: number | undefined;
  /** Open WebSocket connections per user, chat channel and graphql-ws together (MEMGATE_MAX_WS_CONNECTIONS_PER_USER). Default 32. */
  maxWsConnectionsPerUser?: number;
  /** How long `close()` lets in-flight WebSocket turns (chat channel, graphql-ws) run before cancelling them. Default 30 s. */
  shutdownTimeoutMs?: number;
  /** `/mcp` sessions: per user (MEMGATE_MCP_MAX_SESSIONS_PER_USER) and their idle timeout (MEMGATE_MCP_SESSION_IDLE_MS). Default 16, 30 min. */
  mcpSessions?: { maxPerUser?: number; idleMs?: number };
  /** Serve the web console at `/console` (MEMGATE_CONSOLE). Default: true. */
  console?: boolean;
  /** The built console (index.html, assets/); default: `dist/` of the `@memgate/console` package. */
  consoleDirectory?: string;
}

/** A running all-in-one server. */
export interface MemgateServer {
  url: string;
  /** Where the console is (`<url>/console/`), or undefined when it is turned off. */
  consoleUrl: string | undefined;
  server: Server;
  /** Stops accepting, lets in-flight requests finish, then closes. */
  close(): Promise<void>;
}

/** Starts every protocol on one port (contract §1). */
export async function startMemgateServer(options: MemgateServerOptions): Promise<MemgateServer> {
  const observability = options.observability ?? quietObservability();
  const { bodyLimitBytes, corsOrigins, stream } = options;
  const userConnections = new UserConnections(options.maxWsConnectionsPerUser);
  const rest = createRestApp(options.memgate, { bodyLimitBytes, corsOrigins, observability, stream });
  const mounts: Mount[] = [
    { path: '/metrics', request: metricsHandler(observability.metrics.registry, options.metricsToken) },
  ];
  const graphql = createGraphqlApp(options.memgate, {
    bodyLimitBytes,
    corsOrigins,
    observability,
    introspection: options.graphqlIntrospection,
    stream,
    userConnections,
    ...(options.shutdownTimeoutMs !== undefined && { shutdownTimeoutMs: options.shutdownTimeoutMs }),
  });
  mounts.push({ path: '/graphql', request: graphql.handleRequest, upgrade: graphql.handleUpgrade });
  const chatChannel = createChatChannel(options.memgate, {
    maxPayloadBytes: bodyLimitBytes,
    corsOrigins,
    observability,
    userConnections,
    ...(stream && { stallMs: stream.stallMs, maxBufferedBytes: stream.maxBufferedBytes }),
    ...(options.shutdownTimeoutMs !== undefined && { shutdownTimeoutMs: options.shutdownTimeoutMs }),
  });
  mounts.push({ path: '/v1/chat/ws', upgrade: chatChannel.handleUpgrade });
  const mcp = createMcpApp(options.memgate, {
    bodyLimitBytes,
    corsOrigins,
    maxSessionsPerUser: options.mcpSessions?.maxPerUser,
    sessionIdleMs: options.mcpSessions?.idleMs,
  });
  mounts.push({ path: '/mcp', request: mcp.handleRequest });
  const serveConsole = options.console ?? true;
  // Turned off, /console falls through to the REST app like any unknown path: a 404.
  if (serveConsole) {
    const directory = options.consoleDirectory ?? defaultConsoleDirectory();
    mounts.push({ path: '/console', request: createConsoleHandler(directory) });
  }
  const server = createSharedServer(mounts, rest, { maxConnections: options.maxConnections });
  const url = await listen(server, options.port ?? 8283, options.host ?? '127.0.0.1');
  return {
    url,
    consoleUrl: serveConsole ? `${url}/console/` : undefined,
    server,
    async close() {
      // Chat-channel sockets and event subscriptions never end by themselves and would hold the
      // server open: the apps end them (after in-flight turns) while the server drains.
      await Promise.all([
        closeServer(server),
        chatChannel.close().catch((error: unknown) => console.error('memgate: closing the chat channel failed', error)),
        graphql.close().catch((error: unknown) => console.error('memgate: closing GraphQL failed', error)),
        // Open MCP notification streams never end by themselves either.
        mcp.close().catch((error: unknown) => console.error('memgate: closing the MCP sessions failed', error)),
      ]);
    },
  };
}
