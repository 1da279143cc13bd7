import { CHANNEL_CLOSE_CODES } from '@memgate/core';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from '@memgate/runtime';
import { WebSocket } from 'ws';

/**
 * graphql-ws sends without looking at the socket's buffer, so a subscriber that stops reading
 * would make it grow without bound. Like the chat channel, such a client is closed with 1008 once
 * its buffer passes the cap, and cut (terminated) once its buffer has not moved for `stallMs`.
 * The close aborts the connection's operations, which ends their turns and frees the agents.
 */
export function guardWebSocketReader(socket: WebSocket, limits: StreamLimits = DEFAULT_STREAM_LIMITS): void {
  let lastBuffered = 0;
  let lastProgress = performance.now();
  const timer = setInterval(
    () => {
      if (socket.readyState !== WebSocket.OPEN) return;
      const buffered = socket.bufferedAmount;
      if (buffered > limits.maxBufferedBytes) {
        socket.close(CHANNEL_CLOSE_CODES.policyViolation, 'Client too slow: send buffer limit reached.');
        // A client that reads nothing will not read the close frame either.
        setTimeout(() => socket.terminate(), 1_000).unref();
        return;
      }
      if (buffered === 0 || buffered < lastBuffered) {
        lastProgress = performance.now();
      } else if (performance.now() - lastProgress >= limits.stallMs) {
        socket.terminate();
      }
      lastBuffered = buffered;
    },
    Math.max(10, Math.min(1_000, Math.floor(limits.stallMs / 4))),
  );
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}
