import { MemgateError } from '../errors/memgate-error.ts';
import { abortErrorFrom, type CallGuard, createCallGuard } from './call-guard.ts';
import { decodeEmbeddings, EMBEDDING_ENCODING, parseEmbeddings } from './openai-embeddings.ts';
import { forClient, rootCause, toMemgateError, type UpstreamErrorContext } from './openai-errors.ts';
import { type ChatParams, toChatParams } from './openai-request.ts';
import { parseCompletion } from './openai-response.ts';
import { ChatStreamAssembler } from './openai-stream.ts';
import type {
  EmbeddingRequest,
  LlmCallOptions,
  LlmProvider,
  LlmRequest,
  LlmResult,
  LlmStreamEvent,
  ProbeResult,
} from './provider.ts';
import { readBody, UpstreamClient } from './upstream-client.ts';
import { UpstreamApiError, UpstreamConnectionTimeoutError } from './upstream-errors.ts';
import { sseJson } from './upstream-sse.ts';

/** Configuration of an OpenAI-compatible upstream. */
export interface OpenAiCompatibleProviderOptions {
  /** e.g. `https://api.openai.com/v1`, `http://localhost:11434/v1` (Ollama). */
  baseURL: string;
  /** Sent as the bearer token; omit for local servers that need none. */
  apiKey?: string;
  /** Model names listed by GET /v1/models. */
  models: string[];
  /** Per call; for streams, the longest silence between chunks. Default 120 000. */
  timeoutMs?: number;
  /**
   * Retries on 408/409/429/5xx (or `x-should-retry: true`) and connection errors, after the answer's
   * `retry-after-ms`/`retry-after` (up to 60 s) or a 0.5 s doubling backoff (at most 8 s, 25 % jitter),
   * within the call's timeout. Default 0: the gateway must not multiply load silently.
   */
  maxRetries?: number;
  /** Extra headers of every call (the providers file's `headers`); never replace the key's `authorization`. */
  headers?: Readonly<Record<string, string>>;
}

const DEFAULT_TIMEOUT_MS = 120_000;
/** A probe waits this long at most: a readiness check must answer quickly. */
const PROBE_TIMEOUT_MS = 3_000;

/** The base URL for the banner, without any credentials embedded in it. */
function displayURL(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return baseURL;
  }
}

/** The host (and port) of the base URL, scrubbed from messages clients read. */
function hostOf(baseURL: string): string | undefined {
  try {
    return new URL(baseURL).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The network error under "Connection error." as its errno (`ECONNREFUSED`), never its
 * message: `/readyz` answers anyone, and `connect ECONNREFUSED 127.0.0.1:9` names the upstream.
 */
function connectionFailure(error: unknown): string {
  const cause = rootCause(error);
  const errno = /^([A-Z][A-Z0-9_]+):/.exec(cause)?.[1];
  return errno ? `connection failed (${errno})` : 'connection failed';
}

function mentionsStreamOptions(error: unknown): boolean {
  return (
    error instanceof UpstreamApiError &&
    (error.status === 400 || error.status === 422) &&
    /stream_options|include_usage/i.test(`${error.message} ${JSON.stringify(error.error ?? null)}`)
  );
}

/** An upstream that speaks the OpenAI Chat Completions API (OpenAI, vLLM, Ollama, llama.cpp, LM Studio…). */
export class OpenAiCompatibleProvider implements LlmProvider {
  readonly description: string;
  readonly kind = 'openai-compatible';
  readonly offline = false;
  readonly models: string[];
  readonly #client: UpstreamClient;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #errorContext: UpstreamErrorContext;
  /** Cleared the first time the upstream rejects `stream_options`; later streams skip it. */
  #streamOptionsSupported = true;

  constructor(options: OpenAiCompatibleProviderOptions) {
    this.description = `openai-compatible (${displayURL(options.baseURL)})`;
    this.models = [...options.models];
    this.#apiKey = options.apiKey || undefined;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#errorContext = { apiKey: this.#apiKey, host: hostOf(options.baseURL) };
    // One client for the provider's lifetime: it holds the connection pool every turn reuses.
    this.#client = new UpstreamClient({
      baseURL: options.baseURL,
      apiKey: this.#apiKey,
      maxRetries: options.maxRetries ?? 0,
      headers: options.headers,
    });
  }

  async generate(request: LlmRequest, options: LlmCallOptions = {}): Promise<LlmResult> {
    const guard = createCallGuard(options.signal, this.#timeoutMs);
    try {
      const response = await this.#client.post(
        '/chat/completions',
        { ...toChatParams(request), stream: false },
        { signal: guard.signal, headers: options.headers },
      );
      return parseCompletion(await readBody(response), request.model);
    } catch (error) {
      throw this.#failure(error, guard, options);
    } finally {
      guard.release();
    }
  }

  async *stream(request: LlmRequest, options: LlmCallOptions = {}): AsyncIterable<LlmStreamEvent> {
    const guard = createCallGuard(options.signal, this.#timeoutMs);
    try {
      const chunks = await this.#openStream(toChatParams(request), guard.signal, options.headers);
      const assembler = new ChatStreamAssembler(request.model);
      guard.touch();
      for await (const chunk of chunks) {
        guard.touch();
        for (const event of assembler.accept(chunk)) yield event;
      }
      // An aborted request ends its body with an error; this is a last guard against a quiet end.
      if (guard.signal.aborted) throw guard.signal.reason;
      yield { type: 'done', result: assembler.finish() };
    } catch (error) {
      throw this.#failure(error, guard, options);
    } finally {
      // Also cancels the HTTP request when the consumer stops iterating early.
      guard.release();
    }
  }

  async embed(request: EmbeddingRequest, options: LlmCallOptions = {}): Promise<number[][]> {
    const guard = createCallGuard(options.signal, this.#timeoutMs);
    try {
      const response = await this.#client.post(
        '/embeddings',
        { model: request.model, input: request.input, encoding_format: EMBEDDING_ENCODING },
        { signal: guard.signal, headers: options.headers },
      );
      return parseEmbeddings(decodeEmbeddings(await readBody(response)), request.input.length);
    } catch (error) {
      throw this.#failure(error, guard, options);
    } finally {
      guard.release();
    }
  }

  /** `GET {baseURL}/models`: any HTTP answer means reachable; a non-2xx one is reported as its status. */
  async probe(options: LlmCallOptions = {}): Promise<ProbeResult> {
    const guard = createCallGuard(options.signal, PROBE_TIMEOUT_MS);
    try {
      const response = await this.#client.get('/models', { signal: guard.signal });
      await response.body.dump().catch(() => {});
      const status = response.statusCode;
      return status >= 200 && status < 300
        ? { reachable: true }
        : { reachable: true, error: `GET /models answered HTTP ${status}` };
    } catch (error) {
      if (guard.timedOut || error instanceof UpstreamConnectionTimeoutError) {
        return { reachable: false, error: `no answer within ${PROBE_TIMEOUT_MS / 1000}s` };
      }
      return { reachable: false, error: connectionFailure(error) };
    } finally {
      guard.release();
    }
  }

  async #openStream(
    params: ChatParams,
    signal: AbortSignal,
    headers: LlmCallOptions['headers'],
  ): Promise<AsyncIterable<unknown>> {
    const call = { signal, headers };
    if (this.#streamOptionsSupported) {
      try {
        const body = { ...params, stream: true, stream_options: { include_usage: true } };
        return sseJson(await this.#client.post('/chat/completions', body, call));
      } catch (error) {
        if (!mentionsStreamOptions(error) || signal.aborted) throw error;
        this.#streamOptionsSupported = false;
      }
    }
    return sseJson(await this.#client.post('/chat/completions', { ...params, stream: true }, call));
  }

  /**
   * Caller aborts stay aborts (never 502s); our own timer becomes a 504; the rest is mapped. Every
   * message names the request id and never the upstream's address (the detail is `logDetail`).
   */
  #failure(error: unknown, guard: CallGuard, options: LlmCallOptions): Error {
    if (options.signal?.aborted) return abortErrorFrom(options.signal);
    const requestId = options.headers?.['x-request-id'];
    if (guard.timedOut) {
      const seconds = Math.round(this.#timeoutMs / 100) / 10;
      const timeout = new MemgateError('UPSTREAM_TIMEOUT', `The upstream LLM did not answer within ${seconds}s.`, {
        cause: error,
        logDetail: `no answer within ${this.#timeoutMs} ms`,
      });
      return forClient(timeout, this.#errorContext, requestId);
    }
    return forClient(toMemgateError(error, this.#errorContext), this.#errorContext, requestId);
  }
}
