import { describe, expect, it } from 'vitest';
import { OfflineProvider } from '../llm/offline-provider.ts';
import type { LlmProvider, ProbeResult } from '../llm/provider.ts';
import { UpstreamMonitor } from './upstream-monitor.ts';

/** A provider whose probe answers from a list and counts its calls. */
function probed(results: ProbeResult[]): LlmProvider & { probes: number } {
  const provider = {
    ...new OfflineProvider(),
    offline: false,
    probes: 0,
    async probe() {
      const result = results[Math.min(provider.probes, results.length - 1)] ?? { reachable: true };
      provider.probes += 1;
      return result;
    },
  };
  return provider as unknown as LlmProvider & { probes: number };
}

describe('UpstreamMonitor', () => {
  it('reports the offline model as offline, without probing', async () => {
    expect(await new UpstreamMonitor(new OfflineProvider()).status()).toBe('offline');
  });

  it('probes at most once per interval; a stale answer is served while the next probe runs', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const provider = probed([{ reachable: true }, { reachable: false, error: 'connect ECONNREFUSED' }]);
    const monitor = new UpstreamMonitor(provider, { intervalMs: 10_000, now: () => now });
    expect(await monitor.status()).toEqual({ reachable: true, checked_at: '2026-01-01T00:00:00.000Z' });
    now += 9_999;
    await monitor.status();
    expect(provider.probes).toBe(1);
    now += 1;
    // Stale: answered from the cache at once, while the second probe runs.
    expect(await monitor.status()).toMatchObject({ reachable: true });
    expect(provider.probes).toBe(2);
    await Promise.resolve();
    expect(await monitor.status()).toEqual({
      reachable: false,
      error: 'connect ECONNREFUSED',
      checked_at: '2026-01-01T00:00:10.000Z',
    });
    expect(provider.probes).toBe(2);
  });

  it('shares one probe between concurrent first calls', async () => {
    const provider = probed([{ reachable: true }]);
    const monitor = new UpstreamMonitor(provider);
    await Promise.all([monitor.status(), monitor.status(), monitor.status()]);
    expect(provider.probes).toBe(1);
  });
});
