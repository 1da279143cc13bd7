import type { ToolCall, Usage } from '../domain/types.ts';
import type { NamedCircuitReport } from './circuit-breaker.ts';

/** A part of a user message sent upstream: text, or an image by URL or `data:` URI. */
export type LlmContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

/** A message in the OpenAI chat format, as sent upstream. */
export type LlmMessage =
  | { role: 'system' | 'developer'; content: string }
  | { role: 'user'; content: string | LlmContentPart[]; name?: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; content: string; tool_call_id: string };

export interface LlmToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type LlmToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

/** Parameters forwarded unchanged to every upstream call of a turn. */
export interface SamplingParams {
  reasoning_effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  verbosity?: 'low' | 'medium' | 'high';
  service_tier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority' | 'fast';
  prompt_cache_key?: string;
  prompt_cache_retention?: 'in_memory' | '24h';
  prompt_cache_options?: { mode?: 'implicit' | 'explicit'; ttl?: '30m' };
  safety_identifier?: string;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string | string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  logit_bias?: Record<string, number>;
}

export interface LlmRequest {
  model: string;
  messages: LlmMessage[];
  tools?: LlmToolDefinition[];
  toolChoice?: LlmToolChoice;
  parallelToolCalls?: boolean;
  sampling: SamplingParams;
}

export interface LlmResult {
  /** The model that answered, as the upstream reports it. */
  model: string;
  content: string | null;
  /** The model's refusal (OpenAI's `message.refusal`), when it declined to answer. */
  refusal?: string | null;
  toolCalls: ToolCall[];
  finishReason: string;
  usage: Usage;
}

export type LlmStreamEvent =
  | { type: 'content'; delta: string }
  | { type: 'refusal'; delta: string }
  | { type: 'tool_call'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'done'; result: LlmResult };

/** An embeddings call: one vector per input text, in order. */
export interface EmbeddingRequest {
  model: string;
  input: string[];
}

/** What a reachability probe found: whether the upstream answered HTTP at all, and what was wrong. */
export interface ProbeResult {
  reachable: boolean;
  /** Why it is unreachable, or what its answer said (e.g. `HTTP 401`); no credentials. */
  error?: string;
}

export interface LlmCallOptions {
  signal?: AbortSignal;
  /** Extra headers of this call (`x-request-id`, trace propagation); never credentials. */
  headers?: Readonly<Record<string, string>>;
}

/** USD per million tokens of a model, from the providers file; null where it gives none. */
export interface ModelPricing {
  inputPrice: number | null;
  outputPrice: number | null;
}

/** What is known of a model a provider serves: the providers file's entry for it. */
export interface ModelCapabilities {
  /** The provider's name (`default` for MEMGATE_LLM_*). */
  provider: string;
  /** The id the upstream knows the model by (without the `provider/` prefix). */
  upstreamModel: string;
  contextWindow: number | null;
  supportsTools: boolean | null;
  supportsVision: boolean | null;
  inputPrice: number | null;
  outputPrice: number | null;
}

/** One provider's reachability, by name, for `/readyz`. */
export interface NamedProbeResult extends ProbeResult {
  name: string;
}

/**
 * An upstream LLM. Implementations throw MemgateError: UPSTREAM_ERROR (502) for failures and
 * garbled answers, UPSTREAM_TIMEOUT (504), RATE_LIMITED (429, with retryAfterSeconds), and let an
 * aborted signal surface as an AbortError.
 */
export interface LlmProvider {
  /** Shown in the startup banner, e.g. `openai-compatible (http://…)` or `memgate-offline (…)`. */
  readonly description: string;
  /** What kind of upstream this is, without its address (`openai-compatible`, `memgate-offline`): shown by `/readyz`, which needs no key. */
  readonly kind: string;
  /** True for the built-in offline model: every agent runs on it whatever its model name. */
  readonly offline: boolean;
  /** Model names this provider is configured for, listed by GET /v1/models. */
  readonly models: string[];
  generate(request: LlmRequest, options?: LlmCallOptions): Promise<LlmResult>;
  /** Streams deltas; the last event is always `done` with the assembled result. */
  stream(request: LlmRequest, options?: LlmCallOptions): AsyncIterable<LlmStreamEvent>;
  /**
   * Embeds texts (the upstream's `/v1/embeddings`); one vector per input, in order. Optional:
   * without it archival search ranks by text alone.
   */
  embed?(request: EmbeddingRequest, options?: LlmCallOptions): Promise<number[][]>;
  /**
   * Checks, cheaply and with a short timeout, whether the upstream answers (for `/readyz`).
   * Never throws. Absent on providers with no upstream (the offline model).
   */
  probe?(options?: LlmCallOptions): Promise<ProbeResult>;
  /**
   * Each named upstream's probe (a registry of several); `probe` then sums them up. Never throws.
   */
  probeEach?(options?: LlmCallOptions): Promise<NamedProbeResult[]>;
  /**
   * Throws a 422 naming `loc` when `model` addresses no model this provider serves (an unknown
   * `provider/model`). Absent: any name is accepted, as by a single upstream whose catalog is unknown.
   */
  checkModel?(model: string, loc: (string | number)[]): void;
  /** What the providers file says of `model`; null for a model it does not list. */
  capabilities?(model: string): ModelCapabilities | null;
  /**
   * The model's prices in USD per million tokens, for the cost of its usage records; null (or no
   * method) when memgate knows none (a model the providers file does not list).
   */
  pricing?(model: string): ModelPricing | null;
  /** The name of the provider a call for `model` goes to; absent: a single upstream, `default`. */
  providerName?(model: string): string;
  /** Each upstream's circuit breaker (see circuit-breaker.ts); absent: no breaker (the offline model). */
  circuits?(): NamedCircuitReport[];
}
