import type { ChatCompletionChunk, CompletionDoneFrame, ErrorFrame, ServerFrame } from '@memgate/core';
import WebSocket, { type ClientOptions } from 'ws';

export interface ConnectOptions {
  /** Sent as `Authorization: Bearer` on the upgrade. */
  apiKey?: string | null;
  /** Sent as the first frame instead (the browser path). */
  authToken?: string;
  /** Resolve on open instead of waiting for `session.created`. */
  skipSession?: boolean;
  ws?: ClientOptions;
}

/** What the server answered a create: its chunks and the one terminal frame. */
export interface RequestOutcome {
  chunks: ChatCompletionChunk[];
  terminal: CompletionDoneFrame | ErrorFrame;
}

/** A real `ws` client of the chat channel that records every frame it receives. */
export class ChannelClient {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      for (const waiter of this.waiters) waiter();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const waiter of this.waiters) waiter();
      });
    });
  }

  /** Connects; rejects with the HTTP status in the message when the upgrade is refused. */
  static async connect(url: string, options: ConnectOptions = {}): Promise<ChannelClient> {
    const headers = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : undefined;
    const socket = new WebSocket(url, { headers, ...options.ws });
    // Listen before the open: the first frame can arrive in the same read as the handshake.
    const client = new ChannelClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    if (options.authToken !== undefined) client.send({ type: 'auth', token: options.authToken });
    if (!options.skipSession) await client.next((frame) => frame.type === 'session.created');
    return client;
  }

  /** Sends a frame (a string is sent as is, e.g. malformed JSON). */
  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame received (so far or from now on) that matches. */
  async next<T extends ServerFrame = ServerFrame>(predicate: (frame: ServerFrame) => boolean): Promise<T> {
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found as T;
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error('The connection closed before the frame came.');
      await new Promise<void>((resolve) => {
        const waiter = () => {
          this.waiters.delete(waiter);
          resolve();
        };
        this.waiters.add(waiter);
      });
    }
  }

  /** Sends `chat.completion.create` without waiting. */
  create(requestId: string, request: Record<string, unknown>, conversationId?: string): void {
    const named = conversationId === undefined ? {} : { conversation_id: conversationId };
    this.send({ type: 'chat.completion.create', request_id: requestId, request, ...named });
  }

  /** The chunks and the terminal frame (`done`, or `error` naming the request) of one request. */
  async outcome(requestId: string): Promise<RequestOutcome> {
    const terminal = await this.next<CompletionDoneFrame | ErrorFrame>(
      (frame) => (frame.type === 'chat.completion.done' || frame.type === 'error') && frame.request_id === requestId,
    );
    const chunks = this.frames.flatMap((frame) =>
      frame.type === 'chat.completion.chunk' && frame.request_id === requestId ? [frame.chunk] : [],
    );
    return { chunks, terminal };
  }

  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    await this.closed;
  }
}
