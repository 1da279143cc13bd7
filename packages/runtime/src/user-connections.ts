import { MemgateError } from '@memgate/core';

/** Default of MEMGATE_MAX_WS_CONNECTIONS_PER_USER. */
export const DEFAULT_MAX_WS_CONNECTIONS_PER_USER = 32;

/** WebSocket close code for a user over the cap: 4000 + the HTTP status it stands for (429). */
export const TOO_MANY_CONNECTIONS_CLOSE_CODE = 4429;

/**
 * Open WebSocket connections per user (MEMGATE_MAX_WS_CONNECTIONS_PER_USER), one count for every
 * WebSocket endpoint that shares an instance of it (the chat channel and graphql-ws): a runaway
 * client of one user cannot hold all of a server's sockets.
 */
export class UserConnections {
  readonly #open = new Map<string, number>();

  constructor(readonly maxPerUser: number = DEFAULT_MAX_WS_CONNECTIONS_PER_USER) {}

  /** Counts one connection of `userId`; returns its release, or null when the user is at the cap. */
  acquire(userId: string): (() => void) | null {
    const open = this.#open.get(userId) ?? 0;
    if (open >= this.maxPerUser) return null;
    this.#open.set(userId, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#open.get(userId) ?? 1) - 1;
      if (left <= 0) this.#open.delete(userId);
      else this.#open.set(userId, left);
    };
  }

  /** The refusal: 429 at an upgrade, its message as the close reason (4429) after one. */
  error(): MemgateError {
    return new MemgateError(
      'RATE_LIMITED',
      `Too many WebSocket connections for this user (at most ${this.maxPerUser}, MEMGATE_MAX_WS_CONNECTIONS_PER_USER).`,
      { detailCode: 'too_many_connections', retryAfterSeconds: 1 },
    );
  }
}
