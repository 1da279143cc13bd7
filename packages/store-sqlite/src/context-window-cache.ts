import { type StoredMessage, WindowBudget, windowWeight } from '@memgate/core';
import { withAttachments } from './attachments.ts';
import { toStoredMessage } from './row-mapping.ts';
import type { Statements } from './statements.ts';

interface CachedWindow {
  startSeq: number;
  /** `conversations.window_epoch` when read: a rewind or restore moves it, and the window is read anew. */
  epoch: number;
  /** Approximate characters held, for the cache's memory budget. */
  size: number;
  /** The highest seq read so far (rows above it are fetched on the next read). */
  lastSeq: number;
  messages: StoredMessage[];
}

/**
 * The conversations' context windows, kept between turns and topped up with the rows written
 * since. Every turn reads its whole window, which costs a few microseconds a row to materialise;
 * this reads only what is new. It stays right when other processes write the same file: messages
 * are append-only (a rewind or restore, which hides or shows old ones, moves the conversation's
 * `window_epoch`, and a changed epoch reads the window anew), their `seq` grows in commit order (SQLite has one writer at a time), and the
 * window start is re-read on every call. A deleted conversation has no start, which drops its entry.
 */
export class ContextWindowCache {
  readonly #windows: WindowBudget<CachedWindow>;

  /**
   * @param maxCharacters the budget over all cached windows (approximate characters of text);
   *   the least recently read windows are dropped past it. Large-context agents hold big windows.
   */
  constructor(
    private readonly sql: () => Statements,
    maxCharacters?: number,
  ) {
    this.#windows = new WindowBudget(maxCharacters);
  }

  read(conversationId: string): StoredMessage[] {
    const sql = this.sql();
    const row = sql.contextStart.get(conversationId);
    let entry = this.#windows.take(conversationId);
    if (row === undefined) return [];
    const { start, agent_id: agentId, epoch } = row;
    if (!entry || start < entry.startSeq || epoch !== entry.epoch) {
      const messages = withAttachments(sql, agentId, sql.contextMessages.all(conversationId).map(toStoredMessage));
      entry = {
        startSeq: start,
        epoch,
        lastSeq: messages.at(-1)?.seq ?? start - 1,
        messages,
        size: windowWeight(messages),
      };
    } else {
      const newer = withAttachments(
        sql,
        agentId,
        sql.messagesAfter.all(conversationId, entry.lastSeq).map(toStoredMessage),
      );
      if (newer.length > 0) {
        entry.messages.push(...newer);
        entry.lastSeq = newer.at(-1)!.seq;
        entry.size += windowWeight(newer);
      }
      if (start > entry.startSeq) {
        entry.messages = entry.messages.filter((message) => message.seq >= start);
        entry.startSeq = start;
        entry.size = windowWeight(entry.messages);
      }
    }
    this.#windows.put(conversationId, entry);
    // A copy: callers append to the window they get; the cached one only grows from the database.
    return entry.messages.slice();
  }

  clear(): void {
    this.#windows.clear();
  }

  /** Characters held by all cached windows (approximate). */
  get size(): number {
    return this.#windows.size;
  }
}
