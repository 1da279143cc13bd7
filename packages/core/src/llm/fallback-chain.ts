import type { Telemetry, UpstreamFallback } from '../telemetry/telemetry.ts';
import { type FallbackReason, fallbackReason } from './fallback-reason.ts';
import type { LlmProvider } from './provider.ts';

/** Who a chain of calls is made for, and where its fallbacks are reported. */
export interface FallbackScope {
  provider: LlmProvider;
  telemetry?: Telemetry | undefined;
  requestId: string | null;
  agentId: string;
  purpose: UpstreamFallback['purpose'];
  /** A chain stops at once when this aborts (the client left, the turn's deadline passed). */
  signal?: AbortSignal | undefined;
}

/** Tells the telemetry that a call moves from one model to the next. */
export function reportFallback(scope: FallbackScope, from: string, to: string, reason: FallbackReason): void {
  const providerOf = (model: string) => scope.provider.providerName?.(model) ?? 'default';
  scope.telemetry?.upstreamFallback?.({
    requestId: scope.requestId,
    agentId: scope.agentId,
    purpose: scope.purpose,
    fromModel: from,
    toModel: to,
    fromProvider: providerOf(from),
    toProvider: providerOf(to),
    reason,
  });
}

/**
 * A call made on the first model of `chain`, then, while it fails for a reason to fall back (429,
 * 5xx, timeout, no connection, an open breaker), on each next one; the last failure is thrown.
 * `call` records each attempt itself (usage, span).
 */
export async function callWithFallbacks<T>(
  chain: readonly string[],
  scope: FallbackScope,
  call: (model: string, attempt: number) => Promise<T>,
): Promise<T> {
  for (let index = 0; ; index++) {
    const model = chain[index]!;
    try {
      return await call(model, index + 1);
    } catch (error) {
      const next = chain[index + 1];
      const reason = fallbackReason(error);
      if (next === undefined || reason === null || scope.signal?.aborted) throw error;
      reportFallback(scope, model, next, reason);
    }
  }
}
