/**
 * The retry policy of `MEMGATE_LLM_MAX_RETRIES`, the one the `openai` SDK applied when it was our
 * client: which answers are retried, and how long to wait before the next attempt.
 */

const INITIAL_RETRY_DELAY_SECONDS = 0.5;
const MAX_RETRY_DELAY_SECONDS = 8;
/** A stated wait longer than this is ignored in favour of the backoff. */
const MAX_STATED_DELAY_MS = 60_000;

/** `x-should-retry` decides when present; else 408, 409, 429 and every 5xx are retried. */
export function shouldRetry(status: number, headers: Headers): boolean {
  const stated = headers.get('x-should-retry');
  if (stated === 'true') return true;
  if (stated === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Milliseconds before the next attempt: the answer's `retry-after-ms`, else its `retry-after`
 * (seconds or an HTTP date), when between 0 and 60 s; else exponential backoff from 0.5 s, capped at
 * 8 s, less up to 25 % jitter. `retriesRemaining` counts this retry.
 */
export function retryDelayMs(headers: Headers | undefined, retriesRemaining: number, maxRetries: number): number {
  let stated: number | undefined;
  const milliseconds = headers?.get('retry-after-ms');
  if (milliseconds) {
    const parsed = Number.parseFloat(milliseconds);
    if (!Number.isNaN(parsed)) stated = parsed;
  }
  const retryAfter = headers?.get('retry-after');
  if (retryAfter && stated === undefined) {
    const seconds = Number.parseFloat(retryAfter);
    stated = Number.isNaN(seconds) ? Date.parse(retryAfter) - Date.now() : seconds * 1000;
  }
  if (stated !== undefined && Number.isFinite(stated) && stated >= 0 && stated <= MAX_STATED_DELAY_MS) return stated;
  const retriesDone = maxRetries - retriesRemaining;
  const seconds = Math.min(INITIAL_RETRY_DELAY_SECONDS * 2 ** retriesDone, MAX_RETRY_DELAY_SECONDS);
  return seconds * (1 - Math.random() * 0.25) * 1000;
}
