import { describe, expect, it } from 'vitest';
import { MemgateError } from '../errors/memgate-error.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { fallbackReason, modelChain } from './fallback-reason.ts';
import { UpstreamApiError, UpstreamConnectionError } from './upstream-errors.ts';

function breakerAt(start = 1_000_000) {
  const clock = { now: start };
  const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000, now: () => clock.now });
  return { breaker, clock };
}

const refused = (breaker: CircuitBreaker) => {
  try {
    breaker.admit('alpha');
    return null;
  } catch (error) {
    return error as MemgateError;
  }
};

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and fails fast with a retryable 503 until the cooldown ends', () => {
    const { breaker, clock } = breakerAt();
    for (let failure = 0; failure < 2; failure++) {
      breaker.admit('alpha');
      breaker.failed();
    }
    expect(breaker.report()).toEqual({ state: 'closed', consecutive_failures: 2, retry_at: null });
    breaker.admit('alpha');
    breaker.failed();
    expect(breaker.report()).toEqual({
      state: 'open',
      consecutive_failures: 3,
      retry_at: new Date(clock.now + 10_000).toISOString(),
    });
    clock.now += 4_000;
    const error = refused(breaker);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', detailCode: 'circuit_open', retryAfterSeconds: 6 });
    expect(error?.message).toContain('"alpha"');
    expect(fallbackReason(error)).toBe('circuit_open');
  });

  it('a success in between resets the count', () => {
    const { breaker } = breakerAt();
    breaker.failed();
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    expect(breaker.report()).toMatchObject({ state: 'closed', consecutive_failures: 1 });
  });

  it('half-open lets one trial through: success closes it, failure re-opens it, an abort gives the slot back', () => {
    const { breaker, clock } = breakerAt();
    for (let failure = 0; failure < 3; failure++) breaker.failed();
    clock.now += 10_000;
    expect(breaker.state).toBe('half_open');
    breaker.admit('alpha');
    expect(refused(breaker)).toMatchObject({ detailCode: 'circuit_open', retryAfterSeconds: 1 });
    breaker.released();
    breaker.admit('alpha');
    breaker.failed();
    expect(breaker.report()).toMatchObject({ state: 'open', consecutive_failures: 4 });
    clock.now += 10_000;
    breaker.admit('alpha');
    breaker.succeeded();
    expect(breaker.report()).toEqual({ state: 'closed', consecutive_failures: 0, retry_at: null });
  });
});

describe('fallbackReason', () => {
  const upstream = (status: number) =>
    new MemgateError(status === 429 ? 'RATE_LIMITED' : 'UPSTREAM_ERROR', 'failed', {
      cause: new UpstreamApiError(status, undefined, 'failed', new Headers()),
    });

  it('429, 5xx, timeouts and connection failures fall back; 4xx, garbled answers and overflows do not', () => {
    expect(fallbackReason(upstream(429))).toBe('rate_limited');
    expect(fallbackReason(upstream(500))).toBe('server_error');
    expect(fallbackReason(upstream(503))).toBe('server_error');
    expect(fallbackReason(new MemgateError('UPSTREAM_TIMEOUT', 'slow'))).toBe('timeout');
    const connection = new MemgateError('UPSTREAM_ERROR', 'down', { cause: new UpstreamConnectionError() });
    expect(fallbackReason(connection)).toBe('connection_error');
    for (const status of [400, 401, 404, 422]) expect(fallbackReason(upstream(status))).toBeNull();
    expect(fallbackReason(new MemgateError('UPSTREAM_ERROR', 'garbled', { cause: new SyntaxError('x') }))).toBeNull();
    const overflow = new MemgateError('UPSTREAM_ERROR', 'long', {
      detailCode: 'context_length_exceeded',
      cause: new UpstreamApiError(500, undefined, 'long', new Headers()),
    });
    expect(fallbackReason(overflow)).toBeNull();
    expect(fallbackReason(new DOMException('left', 'AbortError'))).toBeNull();
  });

  it('a chain lists each model once, in order', () => {
    expect(modelChain('a/x', ['b/y', 'a/x', 'c/z', 'b/y'])).toEqual(['a/x', 'b/y', 'c/z']);
  });
});
