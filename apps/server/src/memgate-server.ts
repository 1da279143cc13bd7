import type { Server } from 'node:http';
import type { CorsOrigins, Memgate } from '@memgate/core';
import { createGraphqlApp } from '@memgate/graphql';
import { createRestApp } from '@memgate/rest';
import { closeServer, createSharedServer, listen, type Mount } from '@memgate/runtime';
import { createChatChannel } from '@memgate/ws';

export interface MemgateServerOptions {
  memgate: Memgate;
  port?: number;
  host?: string;
  bodyLimitBytes?: number;
  /** Browser origins allowed on every protocol (MEMGATE_CORS_ORIGINS). Default: none. */
  corsOrigins?: CorsOrigins;
}

/** A running all-in-one server. */
export interface MemgateServer {
  url: string;
  server: Server;
  /** Stops accepting, lets in-flight requests finish, then closes. */
  close(): Promise<void>;
}

/** Starts every protocol on one port (contract §1). */
export async function startMemgateServer(options: MemgateServerOptions): Promise<MemgateServer> {
  const rest = createRestApp(options.memgate, {
    bodyLimitBytes: options.bodyLimitBytes,
    corsOrigins: options.corsOrigins,
  });
  const mounts: Mount[] = [];
  const graphql = createGraphqlApp(options.memgate, {
    bodyLimitBytes: options.bodyLimitBytes,
    corsOrigins: options.corsOrigins,
  });
  mounts.push({ path: '/graphql', request: graphql.handleRequest, upgrade: graphql.handleUpgrade });
  const chatChannel = createChatChannel(options.memgate, {
    maxPayloadBytes: options.bodyLimitBytes,
    corsOrigins: options.corsOrigins,
  });
  mounts.push({ path: '/v1/chat/ws', upgrade: chatChannel.handleUpgrade });
  const server = createSharedServer(mounts, rest);
  const url = await listen(server, options.port ?? 8283, options.host ?? '127.0.0.1');
  return {
    url,
    server,
    async close() {
      // Chat-channel sockets and event subscriptions never end by themselves and would hold the
      // server open: the apps end them (after in-flight turns) while the server drains.
      await Promise.all([
        closeServer(server),
        chatChannel.close().catch((error: unknown) => console.error('memgate: closing the chat channel failed', error)),
        graphql.close().catch((error: unknown) => console.error('memgate: closing GraphQL failed', error)),
      ]);
    },
  };
}
