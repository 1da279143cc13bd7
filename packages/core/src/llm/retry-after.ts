import { DEFAULT_RATE_LIMIT_RETRY_SECONDS } from '../errors/memgate-error.ts';

/** Sent when a 429 says nothing about when to retry: one second, long enough not to hammer. */
export const DEFAULT_RETRY_AFTER_SECONDS = DEFAULT_RATE_LIMIT_RETRY_SECONDS;

/** OpenAI's reset durations, Go style: `1s`, `6m0s`, `20ms`, `1h2m3.5s`. */
const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
const SECONDS_PER_UNIT: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

function durationSeconds(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number.parseFloat(trimmed);
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(trimmed)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of trimmed.matchAll(DURATION_PART)) {
    seconds += Number.parseFloat(amount ?? '0') * (SECONDS_PER_UNIT[unit ?? 's'] ?? 1);
  }
  return seconds;
}

/** The upstream's own `retry-after-ms` (OpenAI's) or `retry-after` (seconds or an HTTP date). */
function statedRetryAfter(headers: Headers | undefined): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.ceil(milliseconds / 1000);
  const header = headers?.get('retry-after')?.trim();
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header)) return Math.ceil(Number.parseFloat(header));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Seconds a rate-limited client should wait, never undefined: the upstream's `retry-after-ms` or
 * `retry-after`; else the later of its `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens`
 * (OpenAI's durations such as `6m0s`), at least 1 s; else {@link DEFAULT_RETRY_AFTER_SECONDS}.
 */
export function retryAfterSeconds(headers: Headers | undefined): number {
  const stated = statedRetryAfter(headers);
  if (stated !== undefined) return stated;
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((name) => durationSeconds(headers?.get(name)))
    .filter((seconds): seconds is number => seconds !== undefined && Number.isFinite(seconds));
  if (resets.length > 0) return Math.max(1, Math.ceil(Math.max(...resets)));
  return DEFAULT_RETRY_AFTER_SECONDS;
}
