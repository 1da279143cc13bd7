import {
  type ContextSummary,
  type StoredMessage,
  type SummaryRow,
  toContextSummary,
  WindowBudget,
  windowWeight,
} from '@memgate/core';
import DataLoader from 'dataloader';
import type { Pool } from 'pg';
import { SQL } from './queries.ts';
import { toStoredMessage } from './row-mapping.ts';
import type { MessageRow } from './rows.ts';

/** A conversation's summary and context window, read together. */
export interface ContextWindowRead {
  summary: ContextSummary | null;
  messages: StoredMessage[];
}

interface CachedWindow {
  /**
   * `conversations.incarnation` and `window_epoch` ("12.3"): a recreated conversation (same id, new
   * row) gets a new incarnation, a rewind or restore a new epoch.
   */
  incarnation: string;
  startSeq: number;
  /** The highest seq read so far: the next read asks only for rows above it. */
  lastSeq: number;
  /** Approximate characters held, for the cache's memory budget. */
  size: number;
  /** Never changed in place: a read that finishes installs a new entry. */
  messages: readonly StoredMessage[];
}

/** A row of SQL.contextWindow: the conversation's columns, and a message's (all NULL when there is none). */
type WindowRow = SummaryRow & { start_seq: string; incarnation: string } & (MessageRow | { seq: null });

/**
 * The conversations' context windows, kept between turns and topped up with the rows written since,
 * by any instance: every read is one statement that re-reads the conversation's window start,
 * incarnation and summary and returns only the messages the cached copy lacks (or the whole window
 * when the copy is no longer good). That is correct because messages are append-only and a
 * conversation's seqs are handed out in commit order (every writer locks the conversation's row
 * first, see conversations-migration.ts): a read that saw seq S has seen every earlier row of the
 * conversation. So no invalidation is needed, no event bus, and the check costs no round trip of its
 * own.
 *
 * The summary and the window asked for in the same tick (as a turn does) share one read.
 */
export class ContextWindowCache {
  readonly #windows: WindowBudget<CachedWindow>;
  readonly #loader: DataLoader<string, ContextWindowRead>;

  /**
   * @param maxCharacters the budget over all cached windows (approximate characters of text);
   *   the least recently read windows are dropped past it.
   */
  constructor(
    private readonly pool: Pool,
    maxCharacters?: number,
  ) {
    this.#windows = new WindowBudget(maxCharacters);
    // No cache in the loader: a read joins only the reads asked for in the same tick, so its
    // snapshot is never older than any of its callers.
    this.#loader = new DataLoader((conversationIds) => this.#readMany(conversationIds), { cache: false });
  }

  /** The conversation's summary and window, as of one snapshot; null summary and [] for an unknown one. */
  read(conversationId: string): Promise<ContextWindowRead> {
    return this.#loader.load(conversationId);
  }

  clear(): void {
    this.#windows.clear();
  }

  /** Characters held by all cached windows (approximate). */
  get size(): number {
    return this.#windows.size;
  }

  async #readMany(conversationIds: readonly string[]): Promise<ContextWindowRead[]> {
    const unique = [...new Set(conversationIds)];
    const reads = await Promise.all(unique.map((conversationId) => this.#readOne(conversationId)));
    const byId = new Map(unique.map((conversationId, index) => [conversationId, reads[index]!]));
    // Each caller gets its own array: callers append to the window they get.
    return conversationIds.map((conversationId) => {
      const read = byId.get(conversationId)!;
      return { summary: read.summary, messages: read.messages.slice() };
    });
  }

  async #readOne(conversationId: string): Promise<ContextWindowRead> {
    const known = this.#windows.get(conversationId);
    const values = known
      ? [conversationId, known.incarnation, known.startSeq, known.lastSeq]
      : [conversationId, '-1', 0, -1];
    const { rows } = await this.pool.query<WindowRow>({ ...SQL.contextWindow, values });
    const first = rows[0];
    if (!first) {
      this.#windows.take(conversationId);
      return { summary: null, messages: [] };
    }
    const startSeq = Number(first.start_seq);
    const newer = first.seq === null ? [] : rows.map((row) => toStoredMessage(row as MessageRow));
    // The same test as the statement's: was the delta taken on top of `known`?
    const delta = known !== undefined && known.incarnation === first.incarnation && startSeq >= known.startSeq;
    const kept = delta ? known.messages.filter((message) => message.seq >= startSeq) : [];
    const messages = kept.length === 0 ? newer : newer.length === 0 ? kept : [...kept, ...newer];
    // Rows below the start are never wanted, so the start counts as read up to.
    const lastSeq = Math.max(messages.at(-1)?.seq ?? -1, delta ? known.lastSeq : -1, startSeq - 1);
    this.#windows.put(conversationId, {
      incarnation: first.incarnation,
      startSeq,
      lastSeq,
      messages,
      size: windowWeight(messages),
    });
    return { summary: toContextSummary(first), messages: messages as StoredMessage[] };
  }
}
