/** One subject's (a user's or a key's) rate and concurrency limits, as one admission checks them. */
export interface SubjectRates {
  subject: string;
  rpm: number | null;
  tpm: number | null;
  maxConcurrentTurns: number | null;
}

/** A refusal: which limit, whose, and when to retry. */
export interface AdmissionRefusal {
  limit: 'rpm' | 'tpm' | 'concurrency';
  subject: string;
  retryAfterSeconds: number;
}

/** What one subject has used: turns started and tokens in the last minute, turns running now. */
export interface RateConsumption {
  requests: number;
  tokens: number;
  concurrent: number;
}

/**
 * The shared counters behind rpm, tpm and concurrency limits: in-process for one instance, in
 * Redis for several (`@memgate/redis`). `admit` is atomic over every subject: either each of
 * them passes and the turn is counted (a request, a concurrency slot leased for `leaseMs`), or
 * nothing is counted.
 */
export interface LimitCounters {
  admit(turnId: string, subjects: readonly SubjectRates[], leaseMs: number): Promise<AdmissionRefusal | null>;
  /** Ends the turn's concurrency slots. */
  release(turnId: string, subjects: readonly string[]): Promise<void>;
  /** Counts the tokens of an upstream call against each subject's tpm. */
  addTokens(subjects: readonly string[], tokens: number): Promise<void>;
  consumption(subject: string): Promise<RateConsumption>;
  close(): Promise<void>;
}

export const MINUTE_MS = 60_000;

interface SubjectWindow {
  /** Start times of turns in the last minute, oldest first. */
  requests: number[];
  /** [time, tokens] of calls in the last minute, oldest first. */
  tokens: [number, number][];
  /** Running turns → lease expiry. */
  slots: Map<string, number>;
}

/** The counters of one process (one instance). */
export class InProcessLimitCounters implements LimitCounters {
  readonly #windows = new Map<string, SubjectWindow>();

  constructor(private readonly now: () => number = Date.now) {}

  #window(subject: string): SubjectWindow {
    const now = this.now();
    let window = this.#windows.get(subject);
    if (!window) {
      window = { requests: [], tokens: [], slots: new Map() };
      this.#windows.set(subject, window);
    }
    while (window.requests.length > 0 && window.requests[0]! <= now - MINUTE_MS) window.requests.shift();
    while (window.tokens.length > 0 && window.tokens[0]![0] <= now - MINUTE_MS) window.tokens.shift();
    for (const [turnId, expiry] of window.slots) if (expiry <= now) window.slots.delete(turnId);
    return window;
  }

  async admit(turnId: string, subjects: readonly SubjectRates[], leaseMs: number): Promise<AdmissionRefusal | null> {
    const now = this.now();
    const windows = subjects.map((rates) => ({ rates, window: this.#window(rates.subject) }));
    for (const { rates, window } of windows) {
      const { subject } = rates;
      if (rates.rpm !== null && window.requests.length >= rates.rpm) {
        const oldest = window.requests[window.requests.length - rates.rpm] ?? now;
        return { limit: 'rpm', subject, retryAfterSeconds: secondsUntil(oldest + MINUTE_MS, now) };
      }
      if (rates.tpm !== null) {
        const used = window.tokens.reduce((sum, [, tokens]) => sum + tokens, 0);
        if (used >= rates.tpm) {
          return { limit: 'tpm', subject, retryAfterSeconds: tokensFreeAt(window.tokens, used - rates.tpm, now) };
        }
      }
      if (rates.maxConcurrentTurns !== null && window.slots.size >= rates.maxConcurrentTurns) {
        return { limit: 'concurrency', subject, retryAfterSeconds: 1 };
      }
    }
    for (const { rates, window } of windows) {
      if (rates.rpm !== null) window.requests.push(now);
      if (rates.maxConcurrentTurns !== null) window.slots.set(turnId, now + leaseMs);
    }
    return null;
  }

  async release(turnId: string, subjects: readonly string[]): Promise<void> {
    for (const subject of subjects) this.#windows.get(subject)?.slots.delete(turnId);
  }

  async addTokens(subjects: readonly string[], tokens: number): Promise<void> {
    if (tokens <= 0) return;
    const now = this.now();
    for (const subject of subjects) this.#window(subject).tokens.push([now, tokens]);
  }

  async consumption(subject: string): Promise<RateConsumption> {
    const window = this.#window(subject);
    return {
      requests: window.requests.length,
      tokens: window.tokens.reduce((sum, [, tokens]) => sum + tokens, 0),
      concurrent: window.slots.size,
    };
  }

  async close(): Promise<void> {
    this.#windows.clear();
  }
}

/** Whole seconds (at least 1) from `now` until `at`. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}

/** When enough of the window's tokens have left it for the use to drop below the limit. */
function tokensFreeAt(tokens: [number, number][], excess: number, now: number): number {
  let freed = 0;
  for (const [time, count] of tokens) {
    freed += count;
    if (freed > excess) return secondsUntil(time + MINUTE_MS, now);
  }
  return 1;
}
