import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CorsOrigins, Memgate } from '@memgate/core';
import { quietObservability, type UserConnections } from '@memgate/runtime';
import type Koa from 'koa';
import { createMemgateYoga, type MemgateYoga } from './create-yoga.ts';
import { createKoaApp, type KoaAppOptions } from './koa-app.ts';
import type { GraphqlLimits } from './operation-limits.ts';
import { createGraphqlWsServer } from './ws-server.ts';

export interface GraphqlAppOptions extends KoaAppOptions {
  /** Browser origins allowed by CORS and on graphql-ws upgrades (MEMGATE_CORS_ORIGINS). Default: none. */
  corsOrigins?: CorsOrigins;
  /** Answer introspection (`__schema`, `__type`) to callers with a key (MEMGATE_GRAPHQL_INTROSPECTION). Default: true. */
  introspection?: boolean;
  /** Bounds on one operation's tokens, depth, aliases, directives and cost; unset ones keep their defaults. */
  limits?: Partial<GraphqlLimits>;
  /** Operations in flight on one graphql-ws connection (subscriptions included). Default: 64, as the chat channel. */
  maxOperationsPerConnection?: number;
  /** Open graphql-ws connections per user (MEMGATE_MAX_WS_CONNECTIONS_PER_USER); over it, closed with 4429. Default: 32, counted alone. */
  userConnections?: UserConnections;
  /** How long `close()` lets graphql-ws operations run before closing their sockets. Default 30 s. */
  shutdownTimeoutMs?: number;
}

/** The GraphQL app: mount `handleRequest` and `handleUpgrade` on `/graphql` of a node:http server. */
export interface GraphqlApp {
  koa: Koa;
  yoga: MemgateYoga;
  /** node:http request listener: queries, mutations and SSE subscriptions. */
  handleRequest(request: IncomingMessage, response: ServerResponse): void;
  /** Takes over a WebSocket upgrade: the graphql-ws protocol. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Ends the open-ended `agentEvents` streams and closes every graphql-ws connection (1001), so
   * that the HTTP server's own close can finish; chat turns streaming over SSE run to their end.
   * Idempotent.
   */
  close(): Promise<void>;
}

/** Builds the GraphQL adapter (contract §7) over the core: Koa + graphql-yoga + graphql-ws. */
export function createGraphqlApp(memgate: Memgate, options: GraphqlAppOptions = {}): GraphqlApp {
  const shutdown = new AbortController();
  const observability = options.observability ?? quietObservability();
  const yoga = createMemgateYoga(memgate, shutdown.signal, {
    observability,
    corsOrigins: options.corsOrigins,
    introspection: options.introspection,
    limits: options.limits,
  });
  const koa = createKoaApp(memgate, yoga, shutdown.signal, { ...options, observability });
  const ws = createGraphqlWsServer(memgate, yoga, {
    maxPayloadBytes: options.bodyLimitBytes,
    corsOrigins: options.corsOrigins,
    maxOperations: options.maxOperationsPerConnection,
    observability,
    stream: options.stream,
    userConnections: options.userConnections,
  });
  const listener = koa.callback();
  let closing: Promise<void> | undefined;
  return {
    koa,
    yoga,
    handleRequest: (request, response) => void listener(request, response),
    handleUpgrade: (request, socket, head) => ws.handleUpgrade(request, socket, head),
    close() {
      shutdown.abort();
      closing ??= ws.close(options.shutdownTimeoutMs);
      return closing;
    },
  };
}
