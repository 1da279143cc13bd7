import { MemgateError } from '../errors/memgate-error.ts';
import { DEFAULT_RETRY_AFTER_SECONDS, retryAfterSeconds } from './retry-after.ts';
import { scrubAddresses } from './scrub-addresses.ts';
import { UpstreamApiError, UpstreamConnectionError, UpstreamConnectionTimeoutError } from './upstream-errors.ts';

export { DEFAULT_RETRY_AFTER_SECONDS, retryAfterSeconds };

/** What the error mapping needs to know about the provider and the call. */
export interface UpstreamErrorContext {
  /** Redacted from every message, in case an upstream echoes it back. */
  apiKey?: string;
  /** The upstream's host (and port): scrubbed from the upstream's own words, which clients see. */
  host?: string;
}

const CONTEXT_LENGTH_PATTERN =
  /context_length_exceeded|maximum context length|exceeds? (the )?(available |maximum )?context (size|length|window)/i;
const MAX_DETAIL_LENGTH = 500;
const WHERE = 'The upstream LLM';

function redact(text: string, context: UpstreamErrorContext): string {
  const key = context.apiKey;
  const clean = key && key.length >= 4 ? text.split(key).join('***') : text;
  return clean.length > MAX_DETAIL_LENGTH ? `${clean.slice(0, MAX_DETAIL_LENGTH)}…` : clean;
}

/** The upstream's words as a client may read them: no key, no host, no URL, no address. */
export function clientSafe(text: string, context: UpstreamErrorContext = {}): string {
  return scrubAddresses(redact(text, context), context.host);
}

/**
 * An UPSTREAM_ERROR for a problem the upstream reported; recognises context-length overflows
 * (OpenAI's `context_length_exceeded`, vLLM's and llama.cpp's wording) so the agent can react to them.
 * `message` is shown to clients: it must be generic or already {@link clientSafe}; `logDetail` is not.
 */
export function upstreamFailure(
  message: string,
  upstreamCode: unknown,
  options: { cause?: unknown; logDetail?: string } = {},
): MemgateError {
  const code = typeof upstreamCode === 'string' ? upstreamCode : '';
  const overflow =
    code === 'context_length_exceeded' || CONTEXT_LENGTH_PATTERN.test(`${code} ${message} ${options.logDetail ?? ''}`);
  return new MemgateError('UPSTREAM_ERROR', message, {
    detailCode: overflow ? 'context_length_exceeded' : null,
    cause: options.cause,
    logDetail: options.logDetail,
  });
}

/** The upstream's own words from a JSON error body: `error.message`, or the bare string some servers (Ollama) put in `error`. */
function upstreamMessage(error: UpstreamApiError): string | null {
  const body: unknown = error.error;
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  // No JSON error body (an HTML page from a proxy, plain text): the error's message holds it raw.
  return null;
}

/** The network reason (ECONNREFUSED, ENOTFOUND…) hides in the cause chain: for the log only. */
export function rootCause(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return `${code}: ${current.message}`;
    current = current.cause;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Maps anything the upstream client throws (aborts excluded, see the provider) onto a MemgateError. Messages are
 * generic (clients read them; the upstream's address must not leak); the raw detail goes to
 * `logDetail`. Only an upstream's JSON error message is passed on, scrubbed of addresses.
 */
export function toMemgateError(error: unknown, context: UpstreamErrorContext): MemgateError {
  if (error instanceof MemgateError) return error;
  const logDetail = redact(rootCause(error), context);
  if (error instanceof UpstreamConnectionTimeoutError) {
    return new MemgateError('UPSTREAM_TIMEOUT', `${WHERE} timed out.`, { cause: error, logDetail });
  }
  if (error instanceof UpstreamConnectionError) {
    return new MemgateError('UPSTREAM_ERROR', `${WHERE} could not be reached.`, { cause: error, logDetail });
  }
  if (error instanceof UpstreamApiError) {
    const words = upstreamMessage(error);
    const said = words === null ? '' : `: ${clientSafe(words, context)}`;
    const statusDetail = `HTTP ${error.status ?? 'stream error'}: ${redact(error.message, context)}`;
    if (error.status === 429) {
      return new MemgateError('RATE_LIMITED', `${WHERE} is rate limiting requests${said}`, {
        retryAfterSeconds: retryAfterSeconds(error.headers),
        cause: error,
        logDetail: statusDetail,
      });
    }
    const status =
      error.status === undefined
        ? 'reported an error mid-stream'
        : `answered ${error.status}${words === null ? ' with a body that is not JSON' : ''}`;
    return upstreamFailure(`${WHERE} ${status}${said}`, error.code ?? error.type, {
      cause: error,
      logDetail: statusDetail,
    });
  }
  if (error instanceof SyntaxError) {
    return upstreamFailure(`${WHERE} returned an invalid response: not valid JSON.`, null, {
      cause: error,
      logDetail,
    });
  }
  return upstreamFailure(`${WHERE} failed before its answer was complete.`, null, { cause: error, logDetail });
}

/**
 * The error as a client receives it: the upstream's host scrubbed from its message (a last guard),
 * and the request id appended, so that a report can be matched with the log line.
 */
export function forClient(error: MemgateError, context: UpstreamErrorContext, requestId?: string): MemgateError {
  const scrubbed = clientSafe(error.message, { ...context, apiKey: undefined });
  const reference = requestId ? ` (request id ${requestId})` : '';
  const message = reference ? `${scrubbed.replace(/[.:\s]+$/, '')}${reference}.` : scrubbed;
  if (message === error.message) return error;
  return new MemgateError(error.code, message, {
    param: error.param,
    detailCode: error.detailCode,
    validation: error.validation,
    retryAfterSeconds: error.retryAfterSeconds,
    logDetail: error.logDetail,
    cause: error.cause,
  });
}
