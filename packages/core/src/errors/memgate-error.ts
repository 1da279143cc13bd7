/** The closed set of error codes every protocol reports. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'BAD_REQUEST',
  'LENGTH_REQUIRED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'UPSTREAM_ERROR',
  'UPSTREAM_TIMEOUT',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One entry of the seed's FastAPI-style validation `detail` array. */
export interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** code → HTTP status: the one table every adapter uses. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  BAD_REQUEST: 400,
  LENGTH_REQUIRED: 411,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BAD_USER_INPUT: 422,
  RATE_LIMITED: 429,
  UPSTREAM_ERROR: 502,
  UPSTREAM_TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** OpenAI's `error.type` for each code, so OpenAI clients classify errors as they expect. */
const OPENAI_TYPE_BY_CODE: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'authentication_error',
  FORBIDDEN: 'permission_error',
  NOT_FOUND: 'not_found_error',
  CONFLICT: 'conflict_error',
  BAD_REQUEST: 'invalid_request_error',
  LENGTH_REQUIRED: 'invalid_request_error',
  PAYLOAD_TOO_LARGE: 'invalid_request_error',
  UNSUPPORTED_MEDIA_TYPE: 'invalid_request_error',
  BAD_USER_INPUT: 'invalid_request_error',
  RATE_LIMITED: 'rate_limit_error',
  UPSTREAM_ERROR: 'upstream_error',
  UPSTREAM_TIMEOUT: 'upstream_timeout',
  SERVICE_UNAVAILABLE: 'service_unavailable',
  INTERNAL_SERVER_ERROR: 'server_error',
};

/** GraphQL `extensions.code` for each core code (contract §7 names a smaller set). */
export const GRAPHQL_CODE_BY_CODE: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  LENGTH_REQUIRED: 'BAD_USER_INPUT',
  PAYLOAD_TOO_LARGE: 'BAD_USER_INPUT',
  UNSUPPORTED_MEDIA_TYPE: 'BAD_USER_INPUT',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  UPSTREAM_TIMEOUT: 'UPSTREAM_ERROR',
  SERVICE_UNAVAILABLE: 'INTERNAL_SERVER_ERROR',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
};

/** `Retry-After` of a 429 that knows no better (e.g. its upstream sent no hint). */
export const DEFAULT_RATE_LIMIT_RETRY_SECONDS = 1;

export interface MemgateErrorOptions {
  /** The request field at fault, OpenAI's `error.param`. */
  param?: string | null;
  /** Machine-readable detail, OpenAI's `error.code` (e.g. `unsupported_parameter`). */
  detailCode?: string | null;
  /** The seed's validation array for 422s. */
  validation?: ValidationDetail[];
  /** Seconds a client should wait (429, 503). */
  retryAfterSeconds?: number;
  /**
   * What only the log may see (an upstream's address, errno, raw answer): never sent to a client,
   * whose message stays generic.
   */
  logDetail?: string;
  cause?: unknown;
}

/** The one error class of memgate; adapters map it onto their transport. */
export class MemgateError extends Error {
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly detailCode: string | null;
  readonly validation: ValidationDetail[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly logDetail: string | undefined;

  constructor(code: ErrorCode, message: string, options: MemgateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MemgateError';
    this.code = code;
    this.param = options.param ?? null;
    this.detailCode = options.detailCode ?? null;
    this.validation = options.validation;
    // Every 429 tells the client when to retry, whoever raised it.
    this.retryAfterSeconds =
      options.retryAfterSeconds ?? (code === 'RATE_LIMITED' ? DEFAULT_RATE_LIMIT_RETRY_SECONDS : undefined);
    this.logDetail = options.logDetail;
  }

  get status(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }

  /** Normalises anything thrown into a MemgateError; unknown errors become masked 500s. */
  static fromUnknown(error: unknown): MemgateError {
    if (error instanceof MemgateError) return error;
    if (isAbortError(error)) {
      return new MemgateError('SERVICE_UNAVAILABLE', 'The request was cancelled.', {
        detailCode: 'cancelled',
        cause: error,
      });
    }
    return new MemgateError('INTERNAL_SERVER_ERROR', 'Internal server error.', { cause: error });
  }
}

/** True for the errors an aborted AbortSignal produces. */
export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || error.name === 'APIUserAbortError' || error.name === 'TimeoutError')
  );
}

/** OpenAI-shaped `error` object, plus the HTTP status the WebSocket channel also reports. */
export interface ErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
  /** The request's id (its `x-request-id`), to quote when reporting a problem. */
  request_id?: string;
  /** Seconds to wait before retrying: on every 429 (REST also sends `Retry-After`). */
  retry_after?: number;
}

/** The REST body of contract §5: the seed's `detail` and OpenAI's `error`. */
export interface ErrorBody {
  detail: string | ValidationDetail[];
  error: ErrorObject;
}

export function toErrorObject(error: MemgateError, requestId?: string): ErrorObject {
  const object: ErrorObject = {
    message: error.message,
    type: OPENAI_TYPE_BY_CODE[error.code],
    param: error.param,
    code: error.detailCode ?? error.code.toLowerCase(),
  };
  if (requestId !== undefined) object.request_id = requestId;
  if (error.retryAfterSeconds !== undefined) object.retry_after = error.retryAfterSeconds;
  return object;
}

export function toErrorBody(error: MemgateError, requestId?: string): ErrorBody {
  return {
    detail: error.validation ?? error.message,
    error: toErrorObject(error, requestId),
  };
}

/** A turn's outcome label for an error: `cancelled` for aborts, else the code in lower case. */
export function errorOutcome(error: unknown): string {
  if (isAbortError(error)) return 'cancelled';
  const normalised = MemgateError.fromUnknown(error);
  return normalised.detailCode === 'cancelled' ? 'cancelled' : normalised.code.toLowerCase();
}
