import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { MemgateError, toErrorBody } from '@memgate/core';
import { refuseUpgrade } from './upgrade-response.ts';

/**
 * Counts the server's open TCP connections and marks those past `max` (MEMGATE_MAX_CONNECTIONS).
 * Node's own `server.maxConnections` drops such a connection without a word; here it is read, and
 * its request answered 503 with a reason and `Connection: close`, so a client learns why.
 */
export class ConnectionLimit {
  readonly #over = new WeakSet<Socket | Duplex>();
  #open = 0;

  constructor(
    server: Server,
    private readonly max: number | undefined,
  ) {
    // Without a cap nothing is counted: no listener on the server, none on each of its sockets.
    if (this.max === undefined) return;
    const closed = () => this.#open--;
    server.on('connection', (socket: Socket) => {
      this.#open++;
      if (this.max !== undefined && this.#open > this.max) this.#over.add(socket);
      // One shared listener for every socket, rather than a closure (and a `once` wrapper) each.
      socket.on('close', closed);
    });
  }

  /** Open connections now, refused ones included (0 when there is no cap: nothing is counted). */
  get open(): number {
    return this.#open;
  }

  /** Answers 503 and returns true when the request came on a connection past the cap. */
  refuseRequest(request: IncomingMessage, response: ServerResponse): boolean {
    if (!this.#over.has(request.socket)) return false;
    const error = this.error();
    response.writeHead(error.status, {
      'content-type': 'application/json; charset=utf-8',
      connection: 'close',
      'retry-after': String(error.retryAfterSeconds),
    });
    response.end(JSON.stringify(toErrorBody(error)));
    return true;
  }

  /** Refuses an upgrade that came on a connection past the cap (503); returns true when it did. */
  refuseUpgrade(socket: Duplex): boolean {
    if (!this.#over.has(socket)) return false;
    refuseUpgrade(socket, this.error());
    return true;
  }

  private error(): MemgateError {
    return new MemgateError(
      'SERVICE_UNAVAILABLE',
      `Too many connections: this instance serves at most ${this.max} at once (MEMGATE_MAX_CONNECTIONS). Retry later or on another instance.`,
      { detailCode: 'too_many_connections', retryAfterSeconds: 1 },
    );
  }
}
