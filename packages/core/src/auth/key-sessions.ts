import type { Principal } from '../domain/types.ts';
import type { EventBus } from '../events/event-bus.ts';

/** Why a session ended: the adapter closes its socket with this (WebSocket close code 4401). */
export type SessionEnd = (reason: string) => void;

// setTimeout holds at most 2^31 - 1 ms (~24.8 days); a later expiry re-arms on the way.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Keeps long-lived sessions (the chat WebSocket, graphql-ws) in step with the key that opened
 * them: a session ends when its key is revoked — on any instance, the revocation travels on the
 * event bus — or when the key expires.
 */
export class KeySessions {
  readonly #sessions = new Map<string, Set<SessionEnd>>();
  #unsubscribe: (() => void) | null = null;

  constructor(private readonly events: EventBus) {}

  /** Calls `end` once, when the principal's key stops working; returns the function that stops watching. */
  watch(principal: Principal, end: SessionEnd): () => void {
    const { keyId } = principal;
    if (!keyId) return () => undefined;
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const finish: SessionEnd = (reason) => {
      if (ended) return;
      stop();
      end(reason);
    };
    const stop = () => {
      ended = true;
      clearTimeout(timer);
      const sessions = this.#sessions.get(keyId);
      sessions?.delete(finish);
      if (sessions?.size === 0) this.#sessions.delete(keyId);
    };
    this.#listen();
    const sessions = this.#sessions.get(keyId) ?? new Set<SessionEnd>();
    sessions.add(finish);
    this.#sessions.set(keyId, sessions);
    if (principal.expiresAt) {
      const expiresAt = Date.parse(principal.expiresAt);
      const arm = () => {
        const wait = expiresAt - Date.now();
        if (wait <= 0) return finish('API key expired.');
        timer = setTimeout(arm, Math.min(wait, LONGEST_TIMER_MS));
        timer.unref();
      };
      arm();
    }
    return stop;
  }

  /** One bus listener for every session of this instance, made on first use. */
  #listen(): void {
    this.#unsubscribe ??= this.events.onKeysRevoked((keyIds) => {
      for (const keyId of keyIds) {
        for (const end of [...(this.#sessions.get(keyId) ?? [])]) end('API key revoked.');
      }
    });
  }
}
