import type { TurnTiming } from '@memgate/core';

/** `Server-Timing` value: time spent upstream and in total, in milliseconds. */
export function serverTiming(timing: TurnTiming, startedAt: number): string {
  const total = performance.now() - startedAt;
  return `upstream;dur=${timing.upstreamMs.toFixed(1)};desc="${timing.upstreamCalls} call(s)", total;dur=${total.toFixed(1)}`;
}
