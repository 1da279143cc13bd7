import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { MemgateError } from '../errors/memgate-error.ts';

/** What the error mapping needs to know about the provider. */
export interface UpstreamErrorContext {
  /** Redacted from every message, in case an upstream echoes it back. */
  apiKey?: string;
}

const CONTEXT_LENGTH_PATTERN =
  /context_length_exceeded|maximum context length|exceeds? (the )?(available |maximum )?context (size|length|window)/i;
const MAX_DETAIL_LENGTH = 500;

function redact(text: string, context: UpstreamErrorContext): string {
  const key = context.apiKey;
  const clean = key && key.length >= 4 ? text.split(key).join('***') : text;
  return clean.length > MAX_DETAIL_LENGTH ? `${clean.slice(0, MAX_DETAIL_LENGTH)}…` : clean;
}

/**
 * An UPSTREAM_ERROR for a problem the upstream reported; recognises context-length overflows
 * (OpenAI's `context_length_exceeded`, vLLM's and llama.cpp's wording) so the agent can react to them.
 */
export function upstreamFailure(message: string, upstreamCode: unknown, cause?: unknown): MemgateError {
  const code = typeof upstreamCode === 'string' ? upstreamCode : '';
  const overflow = code === 'context_length_exceeded' || CONTEXT_LENGTH_PATTERN.test(`${code} ${message}`);
  return new MemgateError('UPSTREAM_ERROR', message, {
    detailCode: overflow ? 'context_length_exceeded' : null,
    cause,
  });
}

/** Seconds from `retry-after-ms` (OpenAI's) or `retry-after` (seconds or an HTTP date). */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds)) return Math.max(0, Math.ceil(milliseconds / 1000));
  const header = headers?.get('retry-after');
  if (!header) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The upstream's own words: `error.message`, or the bare string some servers (Ollama) put in `error`. */
function upstreamMessage(error: APIError): string {
  const body: unknown = error.error;
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  // The SDK prefixes the status, which our message already names.
  return error.status === undefined ? error.message : error.message.replace(`${error.status} `, '');
}

/** Node's fetch hides the reason (ECONNREFUSED, ENOTFOUND…) in the cause chain. */
function rootCause(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return `${code}: ${current.message}`;
    current = current.cause;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Maps anything the SDK throws (aborts excluded, see the provider) onto a MemgateError. */
export function toMemgateError(error: unknown, context: UpstreamErrorContext): MemgateError {
  if (error instanceof MemgateError) return error;
  // The base URL stays out of messages: clients see them, and it may name internal hosts.
  const where = 'upstream LLM';
  if (error instanceof APIConnectionTimeoutError) {
    return new MemgateError('UPSTREAM_TIMEOUT', `The ${where} timed out.`, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    const detail = redact(rootCause(error.cause ?? error), context);
    return new MemgateError('UPSTREAM_ERROR', `Could not connect to the ${where} (${detail}).`, { cause: error });
  }
  if (error instanceof APIError) {
    const text = redact(upstreamMessage(error), context);
    if (error.status === 429) {
      return new MemgateError('RATE_LIMITED', `The ${where} is rate limiting requests: ${text}`, {
        retryAfterSeconds: retryAfterSeconds(error.headers),
        cause: error,
      });
    }
    const status = error.status === undefined ? 'reported an error mid-stream' : `answered ${error.status}`;
    return upstreamFailure(`The ${where} ${status}: ${text}`, error.code ?? error.type, error);
  }
  if (error instanceof SyntaxError) {
    return upstreamFailure(`The ${where} sent invalid JSON: ${redact(error.message, context)}`, null, error);
  }
  const detail = redact(rootCause(error), context);
  return upstreamFailure(`The call to the ${where} failed: ${detail}`, null, error);
}
