import type { LlmProvider, ProbeResult } from '../llm/provider.ts';

/** The upstream's reachability as `/readyz` reports it; `offline` for the built-in model. */
export type UpstreamReport = 'offline' | (ProbeResult & { checked_at: string });

export interface UpstreamMonitorOptions {
  /** A probe result is reused this long; default 10 000 (at most one probe every 10 s). */
  intervalMs?: number;
  /** The clock, in ms; tests pass their own. */
  now?: () => number;
}

/**
 * Probes the upstream at most once per interval and caches the answer. The first call waits for
 * a probe; after that a stale answer is returned at once while a fresh probe runs behind it, so a
 * readiness check never waits on a slow upstream twice.
 */
export class UpstreamMonitor {
  readonly #provider: LlmProvider;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #last: { report: UpstreamReport; at: number } | undefined;
  #inFlight: Promise<UpstreamReport> | undefined;

  constructor(provider: LlmProvider, options: UpstreamMonitorOptions = {}) {
    this.#provider = provider;
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async status(): Promise<UpstreamReport> {
    if (!this.#provider.probe) return 'offline';
    const last = this.#last;
    if (last && this.#now() - last.at < this.#intervalMs) return last.report;
    const probing = this.#probe();
    return last ? last.report : probing;
  }

  #probe(): Promise<UpstreamReport> {
    this.#inFlight ??= (async () => {
      const at = this.#now();
      const result = (await this.#provider.probe?.()) ?? { reachable: false, error: 'no probe' };
      const report = { ...result, checked_at: new Date(at).toISOString() };
      this.#last = { report, at };
      return report;
    })().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }
}
