import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type CorsOrigins, isOriginAllowed, MemgateError, toErrorBody } from '@memgate/core';

/**
 * Refuses a WebSocket upgrade with a plain HTTP response (e.g. 401 for a bad `Authorization`
 * header) and closes the socket: the connection is never upgraded. The body is the REST error body.
 */
export function refuseUpgrade(socket: Duplex, error: unknown): void {
  const normalised = MemgateError.fromUnknown(error);
  const status = normalised.status;
  const body = JSON.stringify(toErrorBody(normalised));
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  if (status === 401) lines.push('WWW-Authenticate: Bearer');
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** The scheme the page would have used: a proxy's `X-Forwarded-Proto` (TLS ended there), else the socket's. */
function schemeOf(request: IncomingMessage): 'http:' | 'https:' {
  const forwarded = request.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  if (proto === 'https' || proto === 'http') return `${proto}:`;
  return (request.socket as { encrypted?: boolean }).encrypted ? 'https:' : 'http:';
}

/**
 * True when `Origin` is this server's own origin: a page it served (the console at /console) opening
 * a socket back to it. Same scheme, and the same host and port as the `Host` header, both
 * normalised by the URL parser (case, default ports, IPv6 brackets).
 */
export function isSameOriginUpgrade(request: IncomingMessage, origin: string): boolean {
  const host = request.headers.host;
  if (!host) return false;
  try {
    const from = new URL(origin);
    const scheme = schemeOf(request);
    return from.protocol === scheme && from.host === new URL(`${scheme}//${host}`).host;
  } catch {
    return false;
  }
}

/**
 * The WebSocket half of CORS: browsers send `Origin` on every upgrade and let any page open a
 * socket, so an origin outside MEMGATE_CORS_ORIGINS is refused here (403), unless it is the
 * server's own origin (the console it serves). No `Origin` header (a non-browser client) is
 * allowed. Returns true when it refused.
 */
export function refuseCrossOriginUpgrade(request: IncomingMessage, socket: Duplex, origins: CorsOrigins): boolean {
  const origin = request.headers.origin;
  if (isOriginAllowed(origins, origin)) return false;
  if (origin !== undefined && isSameOriginUpgrade(request, origin)) return false;
  refuseUpgrade(
    socket,
    new MemgateError('FORBIDDEN', `The origin ${origin} is not allowed (MEMGATE_CORS_ORIGINS).`, {
      detailCode: 'origin_not_allowed',
    }),
  );
  return true;
}
