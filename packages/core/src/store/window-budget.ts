import type { StoredMessage } from '../domain/types.ts';

/** A cached window, as far as the budget is concerned: what it weighs. */
export interface Weighed {
  /** Approximate characters held (see {@link windowWeight}). */
  size: number;
}

/**
 * The stores' cached context windows under one memory budget: a Map whose order is the eviction
 * order (least recently put first), dropping the oldest windows once their total weight passes
 * `maxCharacters`. The window just put is never dropped, however large.
 */
export class WindowBudget<Entry extends Weighed> {
  readonly #entries = new Map<string, Entry>();
  #size = 0;

  /** @param maxCharacters the budget over all cached windows (approximate characters of text). */
  constructor(private readonly maxCharacters = 32 * 1024 * 1024) {}

  /** The agent's window, left in place. */
  get(agentId: string): Entry | undefined {
    return this.#entries.get(agentId);
  }

  /** Removes the agent's window and returns it. */
  take(agentId: string): Entry | undefined {
    const entry = this.#entries.get(agentId);
    if (entry) {
      this.#entries.delete(agentId);
      this.#size -= entry.size;
    }
    return entry;
  }

  /** Puts the agent's window (replacing any) as the most recently used, then keeps the budget. */
  put(agentId: string, entry: Entry): void {
    this.take(agentId);
    this.#entries.set(agentId, entry);
    this.#size += entry.size;
    while (this.#size > this.maxCharacters && this.#entries.size > 1) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined || oldest === agentId) break;
      this.take(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#size = 0;
  }

  /** Characters held by all cached windows (approximate). */
  get size(): number {
    return this.#size;
  }
}

/** Text a window holds, with a fixed allowance per message for its other fields. */
export function windowWeight(messages: readonly StoredMessage[]): number {
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
