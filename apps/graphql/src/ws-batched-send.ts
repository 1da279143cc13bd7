import type { Socket } from 'node:net';
import { WebSocket } from 'ws';

/** Above this many buffered bytes, graphql-ws waits for each frame's write again (the chat channel's mark). */
export const WS_HIGH_WATER_MARK_BYTES = 256 * 1024;

type SendCallback = (error?: Error) => void;
type SendOptions = Parameters<WebSocket['send']>[1];

/**
 * graphql-ws awaits every frame's write callback before it reads the next result: each chunk of a
 * stream costs a system call of its own, and the next chunk waits for the last write. Over this
 * socket, as on the chat channel:
 * - the first frame of an event-loop turn is written at once; frames that follow in the same turn
 *   (a burst of chunks) are corked and leave together once the turn's I/O callbacks are done;
 * - a frame queued on an open socket whose buffer is under the high-water mark is acknowledged at
 *   once, so graphql-ws goes on to the next result; above the mark it waits for the write again,
 *   which is the backpressure it had (and `guardWebSocketReader` still cuts off a reader that stalls).
 * Frames leave in the order sent; an error of a write acknowledged early surfaces on the next send.
 */
export function batchSends(client: WebSocket, highWaterMark = WS_HIGH_WATER_MARK_BYTES): void {
  const send = client.send.bind(client);
  let batching = false;
  let corked = false;
  const flush = () => {
    batching = false;
    if (!corked) return;
    corked = false;
    rawSocket(client)?.uncork();
  };
  const batch = () => {
    if (!batching) {
      batching = true;
      setImmediate(flush);
      return;
    }
    const raw = corked ? undefined : rawSocket(client);
    if (!raw) return;
    raw.cork();
    corked = true;
  };
  client.send = ((data: Parameters<WebSocket['send']>[0], options?: SendOptions | SendCallback, cb?: SendCallback) => {
    const callback = typeof options === 'function' ? options : cb;
    const sendOptions = typeof options === 'function' ? {} : (options ?? {});
    if (client.readyState === WebSocket.OPEN) batch();
    if (!callback) return send(data, sendOptions);
    let answered = false;
    send(data, sendOptions, (error) => {
      if (answered) return;
      answered = true;
      callback(error);
    });
    if (!answered && client.readyState === WebSocket.OPEN && client.bufferedAmount <= highWaterMark) {
      answered = true;
      callback();
    }
  }) as WebSocket['send'];
}

/** The TCP socket under a `ws` WebSocket (ws keeps it as `_socket`; it corks it itself per frame). */
function rawSocket(socket: WebSocket): Socket | undefined {
  return (socket as unknown as { _socket?: Socket })._socket;
}
