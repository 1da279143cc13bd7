import { randomUUID } from 'node:crypto';
import type { Usage, UsagePurpose, UsageRecord } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { LlmProvider } from '../llm/provider.ts';
import type { Store } from '../store/store.ts';

/** Whose upstream calls a log records. */
export interface UsageOwner {
  userId: string;
  keyId: string | null;
  agentId: string | null;
  conversationId: string | null;
  /** The turn the calls are made for; null for work outside a turn. */
  turnId: string | null;
}

/** One finished upstream call, as the code that made it saw it. */
export interface FinishedCall {
  model: string;
  purpose: UsagePurpose;
  /** `Date.now()` when it started. */
  startedAt: number;
  latencyMs: number;
  /** The upstream's usage when it answered; absent for a failed call (counted as no tokens). */
  usage?: Usage;
  /** Why it failed; absent when it answered. */
  error?: unknown;
}

/**
 * The provider a call for `model` went to, as the provider (a registry of several) routes it; a
 * single upstream is `default`.
 */
export function providerOf(provider: LlmProvider, model: string): string {
  return provider.providerName?.(model) ?? 'default';
}

/**
 * The cost of a call in USD from the model's prices (USD per million tokens). Cached prompt tokens
 * are billed at the input price, as the prompt tokens they are part of: a provider's cache
 * discount is not in the price list, so the cost errs high rather than low. Null when the model
 * has no price for tokens the call used.
 */
export function costOf(
  provider: LlmProvider,
  model: string,
  tokens: { prompt: number; completion: number },
): number | null {
  const prices = provider.pricing?.(model) ?? null;
  if (!prices) return null;
  const { inputPrice, outputPrice } = prices;
  if ((tokens.prompt > 0 && inputPrice === null) || (tokens.completion > 0 && outputPrice === null)) return null;
  return (tokens.prompt * (inputPrice ?? 0) + tokens.completion * (outputPrice ?? 0)) / 1_000_000;
}

/** The outcome a usage record keeps for a call's failure: a lower-case error code, or `cancelled`. */
export function outcomeOf(error: unknown): string {
  if (error instanceof MemgateError) {
    if (error.detailCode === 'context_length_exceeded') return 'context_length_exceeded';
    if (error.code === 'UPSTREAM_TIMEOUT') return 'timeout';
    // No upstream call was made: its provider's circuit breaker is open.
    if (error.detailCode === 'circuit_open') return 'circuit_open';
    return error.code.toLowerCase();
  }
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError')) return 'cancelled';
  return 'upstream_error';
}

/**
 * The usage records of one turn (or one piece of work) not stored yet. A turn hands them to its
 * next step's commit (`take`), which writes them in the same transaction; what no step carried
 * (failed calls, a turn that stored nothing) is written on its own at the end (`flush`).
 */
export class UsageLog {
  readonly #owner: UsageOwner;
  readonly #provider: LlmProvider;
  #pending: UsageRecord[] = [];

  /** Told of every call as it is recorded (the turn's limits count its tokens and cost). */
  readonly #onCall: ((record: UsageRecord) => void) | undefined;

  constructor(owner: UsageOwner, provider: LlmProvider, onCall?: (record: UsageRecord) => void) {
    this.#owner = owner;
    this.#provider = provider;
    this.#onCall = onCall;
  }

  /** The user the calls are made for. */
  get userId(): string {
    return this.#owner.userId;
  }

  /** Records a finished call. */
  add(call: FinishedCall): void {
    const prompt = call.usage?.prompt_tokens ?? 0;
    const completion = call.usage?.completion_tokens ?? 0;
    const record: UsageRecord = {
      id: `usage-${randomUUID()}`,
      at: new Date(call.startedAt).toISOString(),
      ...this.#owner,
      model: call.model,
      provider: providerOf(this.#provider, call.model),
      purpose: call.purpose,
      promptTokens: prompt,
      cachedTokens: call.usage?.prompt_tokens_details?.cached_tokens ?? 0,
      completionTokens: completion,
      costUsd: costOf(this.#provider, call.model, { prompt, completion }),
      latencyMs: Math.round(call.latencyMs),
      outcome: call.error === undefined ? 'ok' : outcomeOf(call.error),
    };
    this.#pending.push(record);
    this.#onCall?.(record);
  }

  /** The records not stored yet, for a step to carry; undefined when there are none. */
  take(): UsageRecord[] | undefined {
    if (this.#pending.length === 0) return undefined;
    const taken = this.#pending;
    this.#pending = [];
    return taken;
  }

  /** Gives back records a step did not store after all (its commit failed). */
  giveBack(records: UsageRecord[] | undefined): void {
    if (records) this.#pending.unshift(...records);
  }

  /** Writes what no step carried. */
  async flush(store: Store): Promise<void> {
    const records = this.take();
    if (records) await store.recordUsage(records);
  }

  /**
   * `flush` at the end of a piece of work that has already answered (or failed for its own
   * reason): a store that fails here must not change that outcome after the fact, so the records
   * are lost instead.
   */
  async settle(store: Store): Promise<void> {
    try {
      await this.flush(store);
    } catch {
      // The work's own outcome stands.
    }
  }
}
