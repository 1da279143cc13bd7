import type { IncomingHttpHeaders } from 'node:http';

/** One message of a chat request, as the client sent it (only `role` is checked). */
export interface ChatRequestMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string; [key: string]: unknown }> | null;
  name?: string;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
  [key: string]: unknown;
}

/**
 * A chat request body as received. Typed for convenient assertions, but only `messages` (an array
 * of objects with a string `role`) is validated: everything else is exactly what the client sent.
 */
export interface ChatRequestBody {
  model?: string;
  messages: ChatRequestMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  tool_choice?: unknown;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string | string[];
  seed?: number;
  [key: string]: unknown;
}

/** An embeddings request body as received; only `input` is validated. */
export interface EmbeddingRequestBody {
  model?: string;
  input: string | string[] | number[] | number[][];
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
  [key: string]: unknown;
}

/** A request the mock received, recorded for assertions. */
export interface RecordedRequest<TBody = ChatRequestBody> {
  /** Request path, e.g. `/v1/chat/completions`. */
  path: string;
  body: TBody;
  headers: IncomingHttpHeaders;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
}

/** Token counts as OpenAI reports them. */
export interface UsageCounts {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Sent only when scripted, as OpenAI sends it when part of the prompt came from its cache. */
  prompt_tokens_details?: { cached_tokens: number };
}

/** One tool call of a scripted assistant turn. */
export interface ScriptedToolCall {
  name: string;
  /** An object is JSON-encoded; a string is sent verbatim, so tests can send garbled JSON. */
  arguments: Record<string, unknown> | string;
  /** Defaults to `call_<random>`. */
  id?: string;
}

/** A scripted upstream failure: `status` with an OpenAI-shaped error body unless `body` is given. */
export interface ScriptedError {
  status: number;
  /** Replaces the whole body: a string is sent raw, anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A broken answer of the chaos upstream (see `answerWithFault`):
 * - `html-200` / `html-502`: an HTML page (a proxy's, naming an internal address) instead of JSON;
 * - `truncated-json`: JSON that stops mid-object (streaming: a frame cut mid-JSON, then the end);
 * - `empty-choices`: `choices: []` (streaming: chunks without choices, then `[DONE]`);
 * - `reset` / `close` / `stall`: half of the body (streaming: half of the frames), then a TCP
 *   reset, a clean close, or silence until the client leaves.
 */
export type UpstreamFault = 'html-200' | 'html-502' | 'truncated-json' | 'empty-choices' | 'reset' | 'close' | 'stall';

/**
 * One upstream answer. An assistant turn has `content` and/or `toolCalls`; `error`, `garbled`
 * and `hang` replace the turn. The timing and shape options apply to any of them.
 */
export interface ScriptedResponse {
  content?: string | null;
  toolCalls?: ScriptedToolCall[];
  /** The model declines: `message.refusal` (streamed as `delta.refusal` pieces), content null. */
  refusal?: string;
  error?: ScriptedError;
  /** 200 with a body that is not JSON (non-streaming) or SSE that breaks off mid-frame (streaming). */
  garbled?: boolean;
  /** Break the answer this way; the partial body or stream is the scripted turn's. */
  fault?: UpstreamFault;
  /**
   * With `fault` (reset, close; streaming truncated-json too): the partial body or stream is sent
   * at once, the break (or the cut frame) waits for this to settle or the client to leave, so a
   * test can break the upstream at a moment of its choosing.
   */
  faultCue?: Promise<unknown>;
  /** Never answer: the request stays open until the client gives up (or the mock closes). */
  hang?: boolean;
  /** Streaming only: send this many SSE frames, then stall without ending the response. */
  hangAfterChunks?: number;
  /** Wait this long before sending headers. */
  delayMs?: number;
  /** Wait this long between streamed frames. */
  chunkDelayMs?: number;
  /** Characters of content / tool-call arguments per streamed delta (default 8). */
  chunkSize?: number;
  usage?: Partial<UsageCounts>;
  /** Defaults to `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
}

/** Computes the answer to a chat request, e.g. from its last message. */
export type Responder = (request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

/** Options of {@link startMockUpstream}. */
export interface MockUpstreamOptions {
  /** Answers chat requests when the script queue is empty; defaults to `echoResponder`. */
  defaultResponder?: Responder;
  /** Listed by `GET /v1/models`; defaults to `['mock-model', 'gpt-4o-mini']`. */
  models?: string[];
  /** Default embedding size when the request has no `dimensions` (default 128). */
  embeddingDimensions?: number;
  /** When set, every request must carry `Authorization: Bearer <apiKey>`, else 401. */
  apiKey?: string;
}

/** A running mock of an OpenAI-compatible upstream. */
export interface MockUpstream {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** Every valid chat request received, in arrival order. */
  requests: RecordedRequest[];
  /** Every valid embeddings request received, in arrival order. */
  embeddingRequests: RecordedRequest<EmbeddingRequestBody>[];
  /** Chat requests whose client closed the connection before the response finished. */
  abortedRequests: RecordedRequest[];
  /** Queues responses, consumed in order by chat requests. */
  script(...responses: ScriptedResponse[]): void;
  /** Sets the responder used when the queue is empty. */
  setDefault(responder: Responder): void;
  /**
   * Resolves with the next aborted chat request not yet returned by an earlier call — at once if
   * one was already aborted, so a test cannot miss an abort that happened before it asked.
   * Rejects after `timeoutMs` (default 5000).
   */
  waitForAbort(timeoutMs?: number): Promise<RecordedRequest>;
  /** TCP connections currently open to the mock (idle keep-alive connections included). */
  openConnections(): number;
  /** Chat requests currently being answered (or hanging). */
  activeRequests(): number;
  /** Clears recordings, the script queue and the default responder (back to the option's). */
  reset(): void;
  /** Destroys open connections and stops listening. */
  close(): Promise<void>;
}
