import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHANNEL_CLOSE_CODES, type ChannelTransport, type ServerFrame } from '@memgate/core';
import { WebSocket } from 'ws';

/** What the transports of one channel observe about their send buffers, for operators and tests. */
export interface SendBufferStats {
  /** Largest `bufferedAmount` seen right after queuing a frame, on any connection. */
  maxBufferedBytes: number;
  /** Times a turn's stream paused because its client's send buffer was above the high-water mark. */
  backpressurePauses: number;
}

export interface SocketTransportOptions {
  /** Above this many buffered bytes, streams pause until the client has read. */
  highWaterMarkBytes: number;
  /** Above this many, the client is not reading at all: close 1008 rather than buffer more. */
  maxBufferedBytes: number;
  /** A paused stream whose buffer has not shrunk for this long (MEMGATE_STREAM_STALL_MS): the client is cut off. */
  stallMs: number;
  stats: SendBufferStats;
}

/** How often a paused stream looks at the send buffer again (ws has no `drain` event of its own). */
const DRAIN_POLL_MS = 5;

/** Lets the frames a transport corked since its first one of this event-loop turn leave, together. */
function flushBatch(transport: SocketTransport): void {
  transport.flushBatch();
}

/**
 * The core's channel transport over a `ws` socket, with backpressure on the socket's send buffer.
 * The first frame of an event-loop turn is written at once (a turn's first token waits for
 * nothing); frames that follow it in the same turn — a burst of chunks the upstream delivered in
 * one read — are corked and leave together once the turn's I/O callbacks are done, in one write
 * instead of one system call each. Order and content are those of the `send` calls.
 */
export class SocketTransport implements ChannelTransport {
  /** A frame was sent in this event-loop turn (a flush is scheduled). */
  private batching = false;
  /** The frames after the first of this turn are corked. */
  private corked = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: SocketTransportOptions,
  ) {}

  send(frame: ServerFrame): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.batch();
    this.socket.send(JSON.stringify(frame));
    const buffered = this.socket.bufferedAmount;
    const { stats } = this.options;
    if (buffered > stats.maxBufferedBytes) stats.maxBufferedBytes = buffered;
    // Streams pause at the high-water mark, but events and pongs cannot wait: a client that lets
    // them pile up this far is gone or hostile, and must not hold the server's memory.
    if (buffered > this.options.maxBufferedBytes) {
      this.socket.close(CHANNEL_CLOSE_CODES.policyViolation, 'Client too slow: send buffer limit reached.');
    }
  }

  async writable(signal: AbortSignal): Promise<void> {
    if (!this.congested()) return;
    this.options.stats.backpressurePauses++;
    let lowest = this.socket.bufferedAmount;
    let progressAt = performance.now();
    while (this.congested() && !signal.aborted) {
      await sleep(DRAIN_POLL_MS, undefined, { signal }).catch(() => undefined);
      const buffered = this.socket.bufferedAmount;
      if (buffered < lowest) {
        lowest = buffered;
        progressAt = performance.now();
      } else if (performance.now() - progressAt >= this.options.stallMs) {
        // A client that reads nothing would not read a close frame either. The socket's close ends
        // its turns as if it had left, which frees their agents.
        this.socket.terminate();
        return;
      }
    }
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(code, reason);
  }

  /** Uncorks what `batch` held back (run from `setImmediate`). */
  flushBatch(): void {
    this.batching = false;
    if (!this.corked) return;
    this.corked = false;
    rawSocket(this.socket)?.uncork();
  }

  private batch(): void {
    if (!this.batching) {
      this.batching = true;
      setImmediate(flushBatch, this);
      return;
    }
    if (this.corked) return;
    const raw = rawSocket(this.socket);
    if (!raw) return;
    raw.cork();
    this.corked = true;
  }

  private congested(): boolean {
    return this.socket.readyState === WebSocket.OPEN && this.socket.bufferedAmount > this.options.highWaterMarkBytes;
  }
}

/** The TCP socket under a `ws` WebSocket (ws keeps it as `_socket`; it corks it itself per frame). */
function rawSocket(socket: WebSocket): Socket | undefined {
  return (socket as unknown as { _socket?: Socket })._socket;
}
