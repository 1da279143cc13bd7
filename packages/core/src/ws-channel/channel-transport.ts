import type { ServerFrame } from './server-frames.ts';

/** Close codes of the chat channel. */
export const CHANNEL_CLOSE_CODES = {
  /** Server shutdown. */
  goingAway: 1001,
  /** A frame larger than the configured limit. */
  messageTooBig: 1009,
  /** A client that does not read while the server's send buffer is full. */
  policyViolation: 1008,
  /** No valid authentication (bad `auth` frame, or none within the timeout), or the key was revoked or expired. */
  unauthenticated: 4401,
} as const;

/**
 * What a chat channel session needs from its socket: the app binds it to a real WebSocket; the
 * session never sees the socket library.
 */
export interface ChannelTransport {
  /** Queues one frame for the client; frames to a closed connection are dropped. */
  send(frame: ServerFrame): void;
  /**
   * Resolves when the client has read enough that more may be queued (at once when it keeps up),
   * or as soon as `signal` aborts. Awaited between chunks, so a slow reader pauses its turn's
   * stream instead of growing the server's send buffer.
   */
  writable(signal: AbortSignal): Promise<void>;
  /** Closes the connection with a close code (see {@link CHANNEL_CLOSE_CODES}). */
  close(code: number, reason: string): void;
}
