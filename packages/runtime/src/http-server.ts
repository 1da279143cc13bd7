import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** Serves HTTP requests under a path prefix (an app mounted on the shared port). */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;
/** Takes over a WebSocket upgrade for its path. */
export type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface Mount {
  /** Path prefix, e.g. `/graphql`. */
  path: string;
  request?: RequestListener;
  upgrade?: UpgradeListener;
}

function matches(url: string | undefined, path: string): boolean {
  const pathname = (url ?? '/').split('?')[0] ?? '/';
  return pathname === path || pathname.startsWith(`${path}/`);
}

/**
 * One node:http server for every protocol: requests and upgrades go to the first mount whose
 * path matches; everything else goes to the fallback (the REST app).
 */
export function createSharedServer(mounts: Mount[], fallback: RequestListener): Server {
  const server = createServer((request, response) => {
    const mount = mounts.find((candidate) => candidate.request && matches(request.url, candidate.path));
    (mount?.request ?? fallback)(request, response);
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const mount = mounts.find((candidate) => candidate.upgrade && matches(request.url, candidate.path));
    if (mount?.upgrade) {
      mount.upgrade(request, socket, head);
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  // Long streamed turns must not be cut by Node's default request timeout.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  return server;
}

/** Listens and resolves with the bound URL (port 0 picks a free port). */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}

/**
 * Stops accepting, closes idle keep-alive connections, and resolves once the in-flight requests
 * have finished (long-lived upgrades and streams must be ended by their apps meanwhile).
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
