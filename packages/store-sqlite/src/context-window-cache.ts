import type { StoredMessage } from '@memgate/core';
import { toStoredMessage } from './row-mapping.ts';
import type { Statements } from './statements.ts';

interface CachedWindow {
  startSeq: number;
  /** The highest seq read so far (rows above it are fetched on the next read). */
  lastSeq: number;
  messages: StoredMessage[];
}

/**
 * The agents' context windows, kept between turns and topped up with the rows written since.
 * Every turn reads its whole window, which costs a few microseconds a row to materialise; this
 * reads only what is new. It stays right when other processes write the same file: messages are
 * append-only, their `seq` grows in commit order (SQLite has one writer at a time), and the window
 * start is re-read on every call. A deleted agent has no start, which drops its entry.
 */
export class ContextWindowCache {
  readonly #entries = new Map<string, CachedWindow>();

  constructor(
    private readonly sql: () => Statements,
    private readonly maxAgents = 1000,
  ) {}

  read(agentId: string): StoredMessage[] {
    const sql = this.sql();
    const start = sql.contextStart.get(agentId)?.start;
    let entry = this.#entries.get(agentId);
    this.#entries.delete(agentId);
    if (start === undefined) return [];
    if (!entry || start < entry.startSeq) {
      const messages = sql.contextMessages.all(agentId).map(toStoredMessage);
      entry = { startSeq: start, lastSeq: messages.at(-1)?.seq ?? start - 1, messages };
    } else {
      const newer = sql.messagesAfter.all(agentId, entry.lastSeq).map(toStoredMessage);
      if (newer.length > 0) {
        entry.messages.push(...newer);
        entry.lastSeq = newer.at(-1)!.seq;
      }
      if (start > entry.startSeq) {
        entry.messages = entry.messages.filter((message) => message.seq >= start);
        entry.startSeq = start;
      }
    }
    // Re-inserted last: the Map's order is the eviction order (least recently read first).
    this.#entries.set(agentId, entry);
    if (this.#entries.size > this.maxAgents) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    // A copy: callers append to the window they get; the cached one only grows from the database.
    return entry.messages.slice();
  }

  clear(): void {
    this.#entries.clear();
  }
}
