import type { LlmProvider, NamedProbeResult, ProbeResult } from '../llm/provider.ts';
import { summariseProbes } from '../llm/provider-registry.ts';

/** The upstream's reachability as `/readyz` reports it; `offline` for the built-in model. */
export type UpstreamReport = 'offline' | (ProbeResult & { checked_at: string });

/** With several providers: each one's reachability by name, from the same probe as the summary. */
export type ProvidersReport = Record<string, ProbeResult>;

export interface UpstreamMonitorOptions {
  /** A probe result is reused this long; default 10 000 (at most one probe every 10 s). */
  intervalMs?: number;
  /** The clock, in ms; tests pass their own. */
  now?: () => number;
}

/** One probe's answer and when it was asked. */
interface Probed {
  report: UpstreamReport;
  providers: ProvidersReport | undefined;
  at: number;
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
  #last: Probed | undefined;
  #inFlight: Promise<Probed> | undefined;

  constructor(provider: LlmProvider, options: UpstreamMonitorOptions = {}) {
    this.#provider = provider;
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async status(): Promise<UpstreamReport> {
    return (await this.detail()).upstream;
  }

  /** The summary `status()` gives, plus each provider's part of it when there are several. */
  async detail(): Promise<{ upstream: UpstreamReport; providers?: ProvidersReport }> {
    if (!this.#provider.probe) return { upstream: 'offline' };
    const last = this.#last;
    const fresh = last && this.#now() - last.at < this.#intervalMs;
    const probing = fresh ? undefined : this.#probe();
    const current = last ?? (await (probing as Promise<Probed>));
    return current.providers
      ? { upstream: current.report, providers: current.providers }
      : { upstream: current.report };
  }

  #probe(): Promise<Probed> {
    this.#inFlight ??= (async () => {
      const at = this.#now();
      const each: NamedProbeResult[] | undefined = await this.#provider.probeEach?.();
      const result = each
        ? summariseProbes(each)
        : ((await this.#provider.probe?.()) ?? { reachable: false, error: 'no probe' });
      const report = { ...result, checked_at: new Date(at).toISOString() };
      const providers = each && Object.fromEntries(each.map(({ name, ...probe }) => [name, probe]));
      this.#last = { report, providers, at };
      return this.#last;
    })().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }
}
