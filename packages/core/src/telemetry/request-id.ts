import { randomUUID } from 'node:crypto';

/** Printable ASCII only: nothing that could end or fold a header line (CR, LF) or smuggle bytes. */
const VALID_REQUEST_ID = /^[\x20-\x7e]{1,128}$/;

/**
 * The request id of an inbound request: the client's `x-request-id` when it is 1–128 printable
 * ASCII characters, else a new UUID. A malformed id is replaced, never echoed.
 */
export function acceptRequestId(inbound: unknown): string {
  const value = Array.isArray(inbound) ? inbound[0] : inbound;
  return typeof value === 'string' && VALID_REQUEST_ID.test(value) ? value : randomUUID();
}

/** The status an upstream answered, from the error chain of a failed call (null: it did not answer). */
export function upstreamStatusOf(error: unknown): number | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const status = (current as { status?: unknown }).status;
    // A MemgateError's own status is ours, not the upstream's: look at its cause.
    if (current.name !== 'MemgateError' && typeof status === 'number') return status;
    current = current.cause;
  }
  return null;
}

/** Trace-context headers a tracer may continue (W3C Trace Context); nothing else is carried. */
const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

/** The inbound trace-context headers of a request, for `RequestContext.carrier` (undefined: none). */
export function traceCarrier(
  header: (name: string) => string | string[] | null | undefined,
): Record<string, string> | undefined {
  let carrier: Record<string, string> | undefined;
  for (const name of TRACE_HEADERS) {
    const value = header(name);
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text !== 'string' || text.length > 512) continue;
    carrier ??= {};
    carrier[name] = text;
  }
  return carrier;
}
