import type { CircuitReport } from '../llm/circuit-breaker.ts';
import { scrubAddresses } from '../llm/scrub-addresses.ts';
import type { Memgate } from '../memgate.ts';
import type { ProvidersReport, UpstreamReport } from './upstream-monitor.ts';

/** Each provider's circuit breaker on this instance, by provider name. */
export type CircuitsReport = Record<string, CircuitReport>;

/**
 * What `/readyz` answers, on every protocol's server. The store decides readiness, and so does an
 * instance whose every provider has its circuit breaker open (it could only fail turns now; a load
 * balancer may send them to an instance that still can). The upstream's reachability is reported
 * but never makes the instance unready (a load balancer could do nothing about it, and turns report
 * upstream errors themselves). It needs no key, so it names no address: the upstream by its kind
 * only, and a store failure with any address in it masked.
 */
export type ReadinessReport = (
  | { status: 'ready'; llm: string; upstream: UpstreamReport; providers?: ProvidersReport; node: string }
  | { status: 'unavailable'; reason: string; upstream: UpstreamReport; providers?: ProvidersReport; node: string }
) & { circuits?: CircuitsReport };

/** Checks that the store can serve; the HTTP status to send is 200 when ready, 503 otherwise. */
export async function readiness(memgate: Memgate): Promise<{ httpStatus: 200 | 503; body: ReadinessReport }> {
  const node = process.version;
  const [store, { upstream, providers }] = await Promise.all([
    memgate.ready().then(
      () => null,
      (error: unknown) =>
        scrubAddresses(error instanceof Error ? error.message : String(error), undefined, '[address]'),
    ),
    memgate.upstreams(),
  ]);
  // With a providers file, `upstream` sums them up and `providers` names each (`default` included).
  const each = providers ? { providers } : {};
  const breakers = memgate.provider.circuits?.() ?? [];
  const circuits =
    breakers.length > 0 ? { circuits: Object.fromEntries(breakers.map(({ name, ...report }) => [name, report])) } : {};
  const allOpen = breakers.length > 0 && breakers.every((breaker) => breaker.state === 'open');
  const reason = store ?? (allOpen ? "every provider's circuit breaker is open (see circuits)" : null);
  if (reason === null) {
    return {
      httpStatus: 200,
      body: { status: 'ready', llm: memgate.provider.kind, upstream, ...each, ...circuits, node },
    };
  }
  return { httpStatus: 503, body: { status: 'unavailable', reason, upstream, ...each, ...circuits, node } };
}
