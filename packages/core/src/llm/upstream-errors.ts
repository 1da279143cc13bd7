/**
 * What the upstream client throws. They carry exactly what the `openai` SDK's `APIError`,
 * `APIConnectionError` and `APIConnectionTimeoutError` carried (status, headers, the parsed error
 * body, its code and type, the same messages), so the mapping in openai-errors.ts reads them the way
 * it read the SDK's and every client-visible message stays as it was.
 */

/** `error.message` of a body, else the body as JSON, else the raw text; prefixed by the status. */
function describe(status: number | undefined, error: unknown, message: string | undefined): string {
  const stated = (error as { message?: unknown } | undefined)?.message;
  const text = stated
    ? typeof stated === 'string'
      ? stated
      : JSON.stringify(stated)
    : error
      ? JSON.stringify(error)
      : message;
  if (status && text) return `${status} ${text}`;
  if (status) return `${status} status code (no body)`;
  if (text) return text;
  return '(no status code or body)';
}

/** The upstream answered with an error: a non-2xx status, or an error event inside a 200 stream (no status). */
export class UpstreamApiError extends Error {
  /** The HTTP status; undefined for an error reported mid-stream. */
  readonly status: number | undefined;
  readonly headers: Headers | undefined;
  /** The `error` member of the JSON body (an object, or the bare string some servers send). */
  readonly error: unknown;
  readonly code: unknown;
  readonly param: unknown;
  readonly type: unknown;

  constructor(status: number | undefined, error: unknown, message: string | undefined, headers: Headers | undefined) {
    super(describe(status, error, message));
    this.name = new.target.name;
    this.status = status;
    this.headers = headers;
    this.error = error;
    const data = error as Record<string, unknown> | null | undefined;
    this.code = data?.['code'];
    this.param = data?.['param'];
    this.type = data?.['type'];
  }

  /** From a non-2xx answer: its body text, parsed as JSON when it is JSON (`{ error: … }`). */
  static fromResponse(status: number, text: string, headers: Headers): UpstreamApiError {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const error = (json as Record<string, unknown> | null | undefined)?.['error'];
    return new UpstreamApiError(status, error, json ? undefined : text, headers);
  }
}

/** No HTTP answer at all: refused, reset, DNS, TLS. The network error is the `cause`. */
export class UpstreamConnectionError extends UpstreamApiError {
  constructor(options: { message?: string; cause?: unknown } = {}) {
    super(undefined, undefined, options.message ?? 'Connection error.', undefined);
    if (options.cause) this.cause = options.cause;
  }
}

/** No HTTP answer in time at the transport level (say, undici's connect timeout). */
export class UpstreamConnectionTimeoutError extends UpstreamConnectionError {
  constructor(options: { cause?: unknown } = {}) {
    super({ message: 'Request timed out.', cause: options.cause });
  }
}
