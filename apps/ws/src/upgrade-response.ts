import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { MemgateError, toErrorBody } from '@memgate/core';

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
