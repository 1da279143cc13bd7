import type { Server } from 'node:http';
import type { Memgate } from '@memgate/core';
import { createRestApp } from '@memgate/rest';
import { createSharedServer, listen, type Mount } from './http-server.ts';

export interface MemgateServerOptions {
  memgate: Memgate;
  port?: number;
  host?: string;
  bodyLimitBytes?: number;
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
  const rest = createRestApp(options.memgate, { bodyLimitBytes: options.bodyLimitBytes });
  const mounts: Mount[] = [];
  // GRAPHQL-MOUNT (apps/graphql adds its mount here)
  // WS-MOUNT (apps/ws adds its mount here)
  const server = createSharedServer(mounts, rest);
  const url = await listen(server, options.port ?? 8283, options.host ?? '127.0.0.1');
  return {
    url,
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
