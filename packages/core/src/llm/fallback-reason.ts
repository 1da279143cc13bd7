import { MemgateError } from '../errors/memgate-error.ts';
import { upstreamStatusOf } from '../telemetry/request-id.ts';
import { CIRCUIT_OPEN } from './circuit-breaker.ts';
import { UpstreamConnectionError } from './upstream-errors.ts';

/** Why a call moved on to the next model of its chain (a metric label: a small closed set). */
export type FallbackReason =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'connection_error'
  | 'circuit_open'
  | 'context_length_exceeded';

/** Network failures under an error (a socket closed or reset mid-answer, a refused connection). */
const NETWORK_CODES =
  /^(UND_ERR_SOCKET|UND_ERR_CLOSED|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/;

function connectionFailed(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    if (current instanceof UpstreamConnectionError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Whether a failed upstream call may be tried on another model (and counts against its provider's
 * breaker): a 429, a 5xx, a timeout, no connection, or a provider whose breaker is open. Not a 4xx
 * (the request itself is at fault, another provider would refuse it too), a garbled answer, an
 * abort, or a context overflow (handled on its own: see the turn's `callWithRoom`).
 */
export function fallbackReason(error: unknown): Exclude<FallbackReason, 'context_length_exceeded'> | null {
  if (!(error instanceof MemgateError)) return null;
  if (error.detailCode === 'context_length_exceeded') return null;
  if (error.code === 'RATE_LIMITED') return 'rate_limited';
  if (error.code === 'UPSTREAM_TIMEOUT') return 'timeout';
  if (error.code === 'SERVICE_UNAVAILABLE' && error.detailCode === CIRCUIT_OPEN) return 'circuit_open';
  if (error.code !== 'UPSTREAM_ERROR') return null;
  const status = upstreamStatusOf(error);
  if (status !== null) return status >= 500 ? 'server_error' : null;
  return connectionFailed(error) ? 'connection_error' : null;
}

/** The models a call may go to, in order: the first, then each fallback not already in the chain. */
export function modelChain(first: string, fallbacks: readonly string[]): string[] {
  return [...new Set([first, ...fallbacks])];
}
