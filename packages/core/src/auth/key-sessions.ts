import type { Principal } from '../domain/types.ts';
import type { EventBus } from '../events/event-bus.ts';

/** Why a session ended: the adapter closes its socket with this (WebSocket close code 4401). */
export type SessionEnd = (reason: string) => void;

// setTimeout holds at most 2^31 - 1 ms (~24.8 days); a later expiry re-arms on the way.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** The sessions of one key; a key's expiry is fixed when it is created, so one timer serves them all. */
interface KeyWatchers {
  /** One entry per watch (its own object, so the same `end` given twice is still two sessions). */
  sessions: Set<{ end: SessionEnd }>;
  timer: NodeJS.Timeout | undefined;
}

const stopNothing = () => undefined;

/**
 * Keeps long-lived sessions (the chat WebSocket, graphql-ws) in step with the key that opened
 * them: a session ends when its key is revoked — on any instance, the revocation travels on the
 * event bus — or when the key expires. What a session costs is one small entry and its stop
 * function; the expiry timer is the key's, shared by its sessions, not one per connection.
 */
export class KeySessions {
  readonly #keys = new Map<string, KeyWatchers>();
  #unsubscribe: (() => void) | null = null;

  constructor(private readonly events: EventBus) {}

  /** Calls `end` once, when the principal's key stops working; returns the function that stops watching. */
  watch(principal: Principal, end: SessionEnd): () => void {
    const { keyId } = principal;
    if (!keyId) return stopNothing;
    const expiresAt = principal.expiresAt ? Date.parse(principal.expiresAt) : null;
    if (expiresAt !== null && expiresAt <= Date.now()) {
      end('API key expired.');
      return stopNothing;
    }
    this.#listen();
    let watchers = this.#keys.get(keyId);
    if (!watchers) {
      watchers = { sessions: new Set(), timer: undefined };
      this.#keys.set(keyId, watchers);
      if (expiresAt !== null) this.#arm(keyId, watchers, expiresAt);
    }
    const entry = { end };
    watchers.sessions.add(entry);
    return () => this.#unwatch(keyId, entry);
  }

  #unwatch(keyId: string, entry: { end: SessionEnd }): void {
    const watchers = this.#keys.get(keyId);
    if (!watchers?.sessions.delete(entry) || watchers.sessions.size > 0) return;
    clearTimeout(watchers.timer);
    this.#keys.delete(keyId);
  }

  /** Ends every session of the key, each once: they are forgotten before any is told. */
  #endAll(keyId: string, reason: string): void {
    const watchers = this.#keys.get(keyId);
    if (!watchers) return;
    this.#keys.delete(keyId);
    clearTimeout(watchers.timer);
    for (const { end } of watchers.sessions) end(reason);
  }

  #arm(keyId: string, watchers: KeyWatchers, expiresAt: number): void {
    const wait = expiresAt - Date.now();
    if (wait <= 0) {
      this.#endAll(keyId, 'API key expired.');
      return;
    }
    watchers.timer = setTimeout(() => this.#arm(keyId, watchers, expiresAt), Math.min(wait, LONGEST_TIMER_MS));
    watchers.timer.unref();
  }

  /** One bus listener for every session of this instance, made on first use. */
  #listen(): void {
    this.#unsubscribe ??= this.events.onKeysRevoked((keyIds) => {
      for (const keyId of keyIds) this.#endAll(keyId, 'API key revoked.');
    });
  }
}
