import type { ServerResponse } from 'node:http';

/** How much a streaming response may hold for a client that does not read, and for how long. */
export interface StreamLimits {
  /** A send buffer that has not moved for this long (MEMGATE_STREAM_STALL_MS) cuts the client off. */
  stallMs: number;
  /** A send buffer above this many bytes (MEMGATE_STREAM_MAX_BUFFER_BYTES) cuts the client off at once. */
  maxBufferedBytes: number;
}

/** The defaults: 30 s without progress, or 16 MiB buffered (the chat channel's `maxBufferedBytes`). */
export const DEFAULT_STREAM_LIMITS: StreamLimits = { stallMs: 30_000, maxBufferedBytes: 16 * 1024 * 1024 };

/** A watch over one streaming response, until it has finished or closed. */
export interface SlowReaderGuard {
  /** Checks the buffer cap now (after a write), cutting the client off when it is exceeded; false then. */
  check(): boolean;
  /** Stops watching. */
  stop(): void;
}

/**
 * Watches a streaming response (SSE) for a client that stopped reading: its buffered bytes over
 * `maxBufferedBytes`, or bytes buffered while nothing reached the socket for `stallMs`. Such a
 * client is disconnected (the socket destroyed), which ends its turn through the same path as a
 * client that left: the response's `close` aborts the turn and releases the agent's lock. Without
 * it a writer waiting for `drain` would hold the turn, and the agent, for as long as the socket
 * stayed open.
 */
export function guardSlowReader(
  response: ServerResponse,
  limits: StreamLimits = DEFAULT_STREAM_LIMITS,
): SlowReaderGuard {
  const socket = response.socket;
  // `bytesWritten` counts what is queued too: what has left for the kernel is that minus the queue.
  const flushed = () => (socket ? socket.bytesWritten - socket.writableLength : 0);
  let lastFlushed = flushed();
  let lastProgress = performance.now();
  const cut = () => {
    stop();
    response.destroy();
    return false;
  };
  const check = () => {
    if (response.destroyed) return false;
    if (response.writableLength > limits.maxBufferedBytes) return cut();
    return true;
  };
  const poll = () => {
    // A closed response stops the watch here rather than through one more `close` listener.
    if (response.destroyed) return stop();
    if (!check()) return;
    const now = flushed();
    if (now !== lastFlushed || response.writableLength === 0) {
      lastFlushed = now;
      lastProgress = performance.now();
      return;
    }
    if (performance.now() - lastProgress >= limits.stallMs) cut();
  };
  const timer = setInterval(poll, Math.max(10, Math.min(1_000, Math.floor(limits.stallMs / 4))));
  timer.unref();
  function stop() {
    clearInterval(timer);
    response.off('finish', stop);
  }
  // `finish`: everything written has reached the socket. Until then a client that stops reading
  // after the last chunk is cut off too.
  response.once('finish', stop);
  return { check, stop };
}
