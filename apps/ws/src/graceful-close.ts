import { setTimeout as sleep } from 'node:timers/promises';
import { CHANNEL_CLOSE_CODES } from '@memgate/core';
import type { ChannelConnection } from './channel-connection.ts';

/** How long a client has to answer the close handshake before its socket is cut. */
const CLOSE_HANDSHAKE_MS = 2_000;

/** Resolves true when `promise` settles within `ms`, false otherwise. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = new AbortController();
  try {
    return await Promise.race([
      promise.then(() => true),
      sleep(ms, false, { signal: timeout.signal }).catch(() => false),
    ]);
  } finally {
    timeout.abort();
  }
}

/**
 * Shuts one connection down: no new turns, in-flight turns finish (or are cancelled at the
 * deadline, each answered `done` `cancelled`), then close 1001.
 */
export async function closeConnection(connection: ChannelConnection, deadlineMs: number): Promise<void> {
  if (!(await within(connection.session.drain(), deadlineMs))) await connection.session.close();
  connection.socket.close(CHANNEL_CLOSE_CODES.goingAway, 'Server shutting down.');
  if (!(await within(connection.closed, CLOSE_HANDSHAKE_MS))) {
    connection.socket.terminate();
    await connection.closed;
  }
}
