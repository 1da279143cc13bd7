import { isAbortError } from '../errors/memgate-error.ts';
import { CircuitBreaker, type CircuitBreakerOptions, type NamedCircuitReport } from './circuit-breaker.ts';
import { fallbackReason } from './fallback-reason.ts';
import type {
  EmbeddingRequest,
  LlmCallOptions,
  LlmProvider,
  LlmRequest,
  LlmResult,
  LlmStreamEvent,
  ModelCapabilities,
  ModelPricing,
  NamedProbeResult,
  ProbeResult,
} from './provider.ts';

/**
 * One upstream behind its circuit breaker: calls fail fast while it is open, and every call's end
 * tells the breaker how the upstream is doing. Everything else is the upstream's own.
 */
export class GuardedProvider implements LlmProvider {
  readonly description: string;
  readonly kind: string;
  readonly offline: boolean;
  readonly models: string[];
  readonly breaker: CircuitBreaker;
  readonly embed?: (request: EmbeddingRequest, options?: LlmCallOptions) => Promise<number[][]>;
  readonly probe?: (options?: LlmCallOptions) => Promise<ProbeResult>;
  readonly probeEach?: (options?: LlmCallOptions) => Promise<NamedProbeResult[]>;
  readonly checkModel?: (model: string, loc: (string | number)[]) => void;
  readonly capabilities?: (model: string) => ModelCapabilities | null;
  readonly pricing?: (model: string) => ModelPricing | null;
  readonly providerName?: (model: string) => string;
  readonly #inner: LlmProvider;
  readonly #name: string;

  constructor(name: string, inner: LlmProvider, breaker: CircuitBreakerOptions) {
    this.#name = name;
    this.#inner = inner;
    this.breaker = new CircuitBreaker(breaker);
    this.description = inner.description;
    this.kind = inner.kind;
    this.offline = inner.offline;
    this.models = inner.models;
    const embed = inner.embed?.bind(inner);
    if (embed) this.embed = (request, options) => this.#guard(options, () => embed(request, options));
    if (inner.probe) this.probe = inner.probe.bind(inner);
    if (inner.probeEach) this.probeEach = inner.probeEach.bind(inner);
    if (inner.checkModel) this.checkModel = inner.checkModel.bind(inner);
    if (inner.capabilities) this.capabilities = inner.capabilities.bind(inner);
    if (inner.pricing) this.pricing = inner.pricing.bind(inner);
    if (inner.providerName) this.providerName = inner.providerName.bind(inner);
  }

  /** This provider's breaker, by its name. */
  circuits(): NamedCircuitReport[] {
    return [{ name: this.#name, ...this.breaker.report() }];
  }

  generate(request: LlmRequest, options?: LlmCallOptions): Promise<LlmResult> {
    return this.#guard(options, () => this.#inner.generate(request, options));
  }

  async *stream(request: LlmRequest, options?: LlmCallOptions): AsyncIterable<LlmStreamEvent> {
    this.breaker.admit(this.#name);
    let settled = false;
    try {
      for await (const event of this.#inner.stream(request, options)) {
        if (event.type === 'done') {
          settled = true;
          this.breaker.succeeded();
        }
        yield event;
      }
    } catch (error) {
      settled = true;
      this.#failed(error, options);
      throw error;
    } finally {
      // The consumer stopped early (the client left): no verdict on the upstream.
      if (!settled) this.breaker.released();
    }
  }

  async #guard<T>(options: LlmCallOptions | undefined, call: () => Promise<T>): Promise<T> {
    this.breaker.admit(this.#name);
    try {
      const result = await call();
      this.breaker.succeeded();
      return result;
    } catch (error) {
      this.#failed(error, options);
      throw error;
    }
  }

  /** A caller's abort says nothing about the upstream; a 4xx or a garbled answer shows it is up. */
  #failed(error: unknown, options: LlmCallOptions | undefined): void {
    if (options?.signal?.aborted || isAbortError(error)) this.breaker.released();
    else if (fallbackReason(error) !== null) this.breaker.failed();
    else this.breaker.succeeded();
  }
}
