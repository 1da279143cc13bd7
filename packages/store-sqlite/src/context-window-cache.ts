import type { StoredMessage } from '@memgate/core';
import { withAttachments } from './attachments.ts';
import { toStoredMessage } from './row-mapping.ts';
import type { Statements } from './statements.ts';

interface CachedWindow {
  startSeq: number;
  /** Approximate characters held, for the cache's memory budget. */
  size: number;
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
  #size = 0;

  /**
   * @param maxCharacters the budget over all cached windows (approximate characters of text);
   *   the least recently read windows are dropped past it. Large-context agents hold big windows.
   */
  constructor(
    private readonly sql: () => Statements,
    private readonly maxCharacters = 32 * 1024 * 1024,
  ) {}

  read(agentId: string): StoredMessage[] {
    const sql = this.sql();
    const start = sql.contextStart.get(agentId)?.start;
    let entry = this.#take(agentId);
    if (start === undefined) return [];
    if (!entry || start < entry.startSeq) {
      const messages = withAttachments(sql, agentId, sql.contextMessages.all(agentId).map(toStoredMessage));
      entry = { startSeq: start, lastSeq: messages.at(-1)?.seq ?? start - 1, messages, size: sizeOf(messages) };
    } else {
      const newer = withAttachments(sql, agentId, sql.messagesAfter.all(agentId, entry.lastSeq).map(toStoredMessage));
      if (newer.length > 0) {
        entry.messages.push(...newer);
        entry.lastSeq = newer.at(-1)!.seq;
        entry.size += sizeOf(newer);
      }
      if (start > entry.startSeq) {
        entry.messages = entry.messages.filter((message) => message.seq >= start);
        entry.startSeq = start;
        entry.size = sizeOf(entry.messages);
      }
    }
    // Re-inserted last: the Map's order is the eviction order (least recently read first).
    this.#entries.set(agentId, entry);
    this.#size += entry.size;
    while (this.#size > this.maxCharacters && this.#entries.size > 1) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined || oldest === agentId) break;
      this.#take(oldest);
    }
    // A copy: callers append to the window they get; the cached one only grows from the database.
    return entry.messages.slice();
  }

  clear(): void {
    this.#entries.clear();
    this.#size = 0;
  }

  /** Characters held by all cached windows (approximate). */
  get size(): number {
    return this.#size;
  }

  #take(agentId: string): CachedWindow | undefined {
    const entry = this.#entries.get(agentId);
    if (entry) {
      this.#entries.delete(agentId);
      this.#size -= entry.size;
    }
    return entry;
  }
}

/** Text a window holds, with a fixed allowance per message for its other fields. */
function sizeOf(messages: StoredMessage[]): number {
  let size = 0;
  for (const message of messages) {
    size += 200 + (message.content?.length ?? 0);
    for (const call of message.toolCalls ?? []) size += call.function.arguments.length + call.function.name.length;
    // Images count by their bytes: a few uploads weigh more than a long conversation.
    for (const attachment of message.attachments ?? [])
      size += (attachment.data?.byteLength ?? 0) + (attachment.url?.length ?? 0);
  }
  return size;
}
