import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Dispatcher, Pool } from 'undici';
import { UpstreamApiError, UpstreamConnectionError, UpstreamConnectionTimeoutError } from './upstream-errors.ts';
import { retryDelayMs, shouldRetry } from './upstream-retry.ts';

/** An error body longer than this before a retry is not read: the connection is closed instead. */
const DUMP_LIMIT_BYTES = 128 * 1024;

/** A 2xx answer whose body is still to be read (or dumped): the caller owns it. */
export type UpstreamResponse = Dispatcher.ResponseData;

/** Options of {@link UpstreamClient}. */
export interface UpstreamClientOptions {
  /** `http(s)://host[:port][/prefix]`; paths are appended to the prefix. */
  baseURL: string;
  /** Sent as `Authorization: Bearer …`; no such header without it. */
  apiKey?: string;
  /** Retries on 408/409/429/5xx (or `x-should-retry: true`) and on connection errors. */
  maxRetries: number;
  /** Headers of every call (a gateway's own, e.g. `x-portkey-config`), lower-case; under the key and per-call ones. */
  headers?: Readonly<Record<string, string>>;
}

/** Options of one call. */
export interface UpstreamCallOptions {
  /** Aborting it cancels the request (and its socket) at any stage, retries and their waits included. */
  signal: AbortSignal;
  /** Extra headers of this call (`x-request-id`, `traceparent`), lower-case. */
  headers?: Readonly<Record<string, string>> | undefined;
}

/** The answer's headers as a fetch `Headers`, which the error mapping reads; built only for errors. */
export function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** A timeout at the transport level (a connect timeout, `ETIMEDOUT`) reads as one; the SDK's test. */
function connectionError(error: unknown): UpstreamConnectionError {
  const cause = error instanceof Error && 'cause' in error ? String(error.cause) : '';
  return /timed? ?out/i.test(String(error) + cause)
    ? new UpstreamConnectionTimeoutError({ cause: error })
    : new UpstreamConnectionError({ cause: error });
}

/**
 * The HTTP client of an OpenAI-compatible upstream: one undici `Pool` (keep-alive connections) for
 * the base URL's origin, `request()` per call, no redirects followed. No timeouts of its own: every
 * call carries a signal that the provider's call guard aborts (see call-guard.ts).
 */
export class UpstreamClient {
  readonly #pool: Pool;
  readonly #prefix: string;
  readonly #search: string;
  readonly #headers: Record<string, string>;
  readonly #maxRetries: number;

  constructor(options: UpstreamClientOptions) {
    const url = new URL(options.baseURL);
    // Header and body timeouts off: the caller's guard owns them (a stream times out on silence).
    this.#pool = new Pool(url.origin, { headersTimeout: 0, bodyTimeout: 0 });
    this.#prefix = url.pathname.replace(/\/+$/, '');
    this.#search = url.search;
    this.#maxRetries = options.maxRetries;
    this.#headers = {
      accept: 'application/json',
      'content-type': 'application/json',
      'user-agent': 'memgate',
      ...options.headers,
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    };
  }

  /**
   * POSTs `body` as JSON to `path` (e.g. `/chat/completions`). Resolves with a 2xx answer; throws
   * {@link UpstreamApiError} for any other status (its body read and parsed), or
   * {@link UpstreamConnectionError} when no answer came; aborts surface as they are.
   */
  post(path: string, body: unknown, options: UpstreamCallOptions): Promise<UpstreamResponse> {
    return this.#send('POST', path, JSON.stringify(body), options, this.#maxRetries);
  }

  /** GETs `path`, answering any status (never retried): for probes. */
  async get(path: string, options: UpstreamCallOptions): Promise<UpstreamResponse> {
    try {
      const { 'content-type': _, ...headers } = { ...this.#headers, ...options.headers };
      return await this.#pool.request({ method: 'GET', path: this.#path(path), headers, signal: options.signal });
    } catch (error) {
      if (options.signal.aborted) throw error;
      throw connectionError(error);
    }
  }

  #path(path: string): string {
    return `${this.#prefix}${path}${this.#search}`;
  }

  async #send(
    method: Dispatcher.HttpMethod,
    path: string,
    body: string,
    options: UpstreamCallOptions,
    maxRetries: number,
  ): Promise<UpstreamResponse> {
    const { signal } = options;
    const headers = options.headers ? { ...this.#headers, ...options.headers } : this.#headers;
    const request: Dispatcher.RequestOptions = { method, path: this.#path(path), headers, body, signal };
    for (let retriesRemaining = maxRetries; ; retriesRemaining--) {
      let response: UpstreamResponse;
      try {
        response = await this.#pool.request(request);
      } catch (error) {
        if (signal.aborted) throw error;
        if (retriesRemaining <= 0) throw connectionError(error);
        await sleep(retryDelayMs(undefined, retriesRemaining, maxRetries), undefined, { signal });
        continue;
      }
      const status = response.statusCode;
      if (status >= 200 && status < 300) return response;
      const responseHeaders = toHeaders(response.headers);
      if (retriesRemaining > 0 && shouldRetry(status, responseHeaders)) {
        // Read (up to undici's limit) rather than destroyed, so the connection is reused.
        await response.body.dump({ limit: DUMP_LIMIT_BYTES, signal }).catch(() => {});
        await sleep(retryDelayMs(responseHeaders, retriesRemaining, maxRetries), undefined, { signal });
        continue;
      }
      const text = await response.body
        .text()
        .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
      throw UpstreamApiError.fromResponse(status, text, responseHeaders);
    }
  }
}

/**
 * A non-streaming answer's body, read as the `openai` SDK read it: `null` for 204, parsed JSON when
 * the media type is JSON (`undefined` when empty; a `SyntaxError` when garbled), else the raw text.
 */
export async function readBody(response: UpstreamResponse): Promise<unknown> {
  const text = await response.body.text();
  if (response.statusCode === 204) return null;
  const contentType = response.headers['content-type'];
  const mediaType = (Array.isArray(contentType) ? contentType[0] : contentType)?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType?.includes('application/json') && !mediaType?.endsWith('+json')) return text;
  return text === '' ? undefined : JSON.parse(text);
}
