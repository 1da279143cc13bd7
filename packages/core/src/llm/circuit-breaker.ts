import { MemgateError } from '../errors/memgate-error.ts';

/** `closed`: calls go through; `open`: they fail fast until the cooldown ends; `half_open`: one trial call decides. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** One provider's breaker as `/readyz` shows it. */
export interface CircuitReport {
  state: CircuitState;
  consecutive_failures: number;
  /** When an open breaker lets a trial call through (ISO 8601); null unless open. */
  retry_at: string | null;
}

/** A provider's breaker report, by provider name. */
export interface NamedCircuitReport extends CircuitReport {
  name: string;
}

export interface CircuitBreakerOptions {
  /** Consecutive retryable failures (429, 5xx, timeout, connection) that open the breaker (MEMGATE_PROVIDER_FAILURE_THRESHOLD). */
  failureThreshold: number;
  /** How long it stays open before a trial call (MEMGATE_PROVIDER_COOLDOWN_MS). */
  cooldownMs: number;
  /** The clock, in ms; tests may pass their own. */
  now?: () => number;
}

/** MEMGATE_PROVIDER_FAILURE_THRESHOLD and MEMGATE_PROVIDER_COOLDOWN_MS by default. */
export const DEFAULT_BREAKER: Readonly<CircuitBreakerOptions> = Object.freeze({
  failureThreshold: 5,
  cooldownMs: 30_000,
});

/** The detail code of a call refused because its provider's breaker is open. */
export const CIRCUIT_OPEN = 'circuit_open';

/**
 * One provider's circuit breaker, per instance (each instance learns its providers' health by
 * itself). A call asks `admit()` first and reports how it ended: `succeeded()`, `failed()` (a
 * retryable failure) or `released()` (no verdict: the caller left). State is read lazily: an open
 * breaker whose cooldown is over reads as half-open, so no timer runs.
 */
export class CircuitBreaker {
  readonly #options: CircuitBreakerOptions;
  readonly #now: () => number;
  #failures = 0;
  #openedAt: number | null = null;
  #trialInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.#openedAt === null) return 'closed';
    return this.#now() - this.#openedAt >= this.#options.cooldownMs ? 'half_open' : 'open';
  }

  /**
   * Lets a call through, or throws the fast failure of an open breaker (SERVICE_UNAVAILABLE,
   * `circuit_open`, a reason to fall back). Half-open lets one trial call through at a time.
   */
  admit(provider: string): void {
    const state = this.state;
    if (state === 'closed') return;
    if (state === 'half_open' && !this.#trialInFlight) {
      this.#trialInFlight = true;
      return;
    }
    const waitMs = state === 'open' ? this.#openedAt! + this.#options.cooldownMs - this.#now() : 1000;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new MemgateError(
      'SERVICE_UNAVAILABLE',
      `The provider "${provider}" failed ${this.#options.failureThreshold} times in a row and is cooling down; retry in ${seconds}s.`,
      { detailCode: CIRCUIT_OPEN, retryAfterSeconds: seconds },
    );
  }

  /** The provider answered (an error that is not its fault, like a 400, counts too): the breaker closes. */
  succeeded(): void {
    this.#failures = 0;
    this.#openedAt = null;
    this.#trialInFlight = false;
  }

  /** A retryable failure: the breaker opens at the threshold, and again at once after a failed trial. */
  failed(): void {
    this.#failures++;
    const trial = this.#trialInFlight;
    this.#trialInFlight = false;
    if (trial || this.#failures >= this.#options.failureThreshold) this.#openedAt = this.#now();
  }

  /** The call ended without a verdict (the caller left): a trial slot is given back. */
  released(): void {
    this.#trialInFlight = false;
  }

  report(): CircuitReport {
    const state = this.state;
    const retryAt = state === 'open' ? new Date(this.#openedAt! + this.#options.cooldownMs).toISOString() : null;
    return { state, consecutive_failures: this.#failures, retry_at: retryAt };
  }
}
