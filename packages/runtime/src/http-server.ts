import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConnectionLimit } from './connection-limits.ts';

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

/** The URL's path, without its query. */
function pathnameOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function matches(pathname: string, path: string): boolean {
  return pathname === path || (pathname.startsWith(path) && pathname.charCodeAt(path.length) === 47); // '/'
}

/** The first mount whose path matches and that has the listener asked for. */
function mountFor(mounts: Mount[], url: string | undefined, kind: 'request' | 'upgrade'): Mount | undefined {
  const pathname = pathnameOf(url);
  for (const mount of mounts) if (mount[kind] && matches(pathname, mount.path)) return mount;
  return undefined;
}

export interface SharedServerOptions {
  /** Open TCP connections past which requests are answered 503 (MEMGATE_MAX_CONNECTIONS); default no cap. */
  maxConnections?: number | undefined;
}

/** What `closeServer` needs to drain a shared server: the responses still in flight. */
interface Drain {
  closing: boolean;
  inFlight: Set<ServerResponse>;
}

const drains = new WeakMap<Server, Drain>();

/**
 * One node:http server for every protocol: requests and upgrades go to the first mount whose
 * path matches; everything else goes to the fallback (the REST app).
 */
export function createSharedServer(
  mounts: Mount[],
  fallback: RequestListener,
  options: SharedServerOptions = {},
): Server {
  const drain: Drain = { closing: false, inFlight: new Set() };
  const server = createServer((request, response) => {
    if (limit.refuseRequest(request, response)) return;
    drain.inFlight.add(response);
    response.once('close', () => drain.inFlight.delete(response));
    if (drain.closing) endAfterResponse(server, response);
    (mountFor(mounts, request.url, 'request')?.request ?? fallback)(request, response);
  });
  const limit = new ConnectionLimit(server, options.maxConnections);
  drains.set(server, drain);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (limit.refuseUpgrade(socket)) return;
    const mount = mountFor(mounts, request.url, 'upgrade');
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

/**
 * A response during shutdown: `Connection: close` if its headers are still to be written (the
 * client will not reuse the socket), and its socket closed once it has finished — a keep-alive
 * client such as the OpenAI SDK would otherwise hold an idle socket, and the server, open.
 */
function endAfterResponse(server: Server, response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('connection', 'close');
  // The socket turns idle only after the response's own `finish` handling: look once that has run.
  response.once('finish', () => setImmediate(() => server.closeIdleConnections()));
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
 * Stops accepting, closes idle keep-alive connections at once and each busy one as soon as its
 * response has finished (with `Connection: close` where headers are still unwritten), and resolves
 * once the in-flight requests have finished (long-lived upgrades and streams must be ended by their
 * apps meanwhile).
 */
export function closeServer(server: Server): Promise<void> {
  const drain = drains.get(server);
  if (drain && !drain.closing) {
    drain.closing = true;
    for (const response of drain.inFlight) endAfterResponse(server, response);
  }
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
