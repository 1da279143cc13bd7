import type { ProviderModelConfig } from '../config-providers.ts';
import { DEFAULT_PROVIDER_NAME } from '../config-providers.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError } from '../errors/validation.ts';
import type { CircuitBreakerOptions, NamedCircuitReport } from './circuit-breaker.ts';
import { GuardedProvider } from './guarded-provider.ts';
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

/** One named upstream of the registry and the models the providers file lists for it. */
export interface RegistryEntry {
  name: string;
  provider: LlmProvider;
  models: ProviderModelConfig[];
}

export interface ProviderRegistryOptions {
  /** The `default` provider (MEMGATE_LLM_*): bare model names go to it, whatever they are. None: every model needs a prefix. */
  defaultProvider?: LlmProvider;
  /** The providers file's upstreams, addressed as `name/model`. */
  providers: RegistryEntry[];
  /** When given, each upstream (`default` included) is put behind a circuit breaker of its own. */
  breaker?: CircuitBreakerOptions;
}

interface Named {
  provider: LlmProvider;
  models: Map<string, ModelCapabilities>;
}

/**
 * Several upstreams behind the one provider interface, so the agent loop, summaries and embeddings
 * need not know there are several. Each call goes where its request's model points: `name/model`
 * to that provider with the bare id, anything else to `default` unchanged (what every agent made
 * before the providers file has). Routing is one string split and one map lookup.
 */
export class ProviderRegistry implements LlmProvider {
  readonly description: string;
  readonly kind: string;
  readonly offline = false;
  readonly models: string[];
  readonly #default: LlmProvider | undefined;
  readonly #named = new Map<string, Named>();

  constructor(options: ProviderRegistryOptions) {
    const { breaker } = options;
    const guarded = (name: string, provider: LlmProvider) =>
      breaker && !(provider instanceof GuardedProvider) ? new GuardedProvider(name, provider, breaker) : provider;
    this.#default = options.defaultProvider && guarded(DEFAULT_PROVIDER_NAME, options.defaultProvider);
    for (const entry of options.providers) {
      const models = new Map(entry.models.map((model) => [model.id, capabilitiesOf(entry.name, model)]));
      this.#named.set(entry.name, { provider: guarded(entry.name, entry.provider), models });
    }
    const parts = [
      ...(this.#default ? [`${DEFAULT_PROVIDER_NAME}: ${this.#default.description}`] : []),
      ...options.providers.map((entry) => `${entry.name}: ${entry.provider.description}`),
    ];
    this.description = `${options.providers.length + (this.#default ? 1 : 0)} providers (${parts.join(', ')})`;
    // Every file provider speaks the OpenAI API; `/readyz` keeps showing the default's kind when there is one.
    this.kind = this.#default?.kind ?? 'openai-compatible';
    this.models = [
      ...(this.#default?.models ?? []),
      ...options.providers.flatMap((entry) => entry.models.map((model) => `${entry.name}/${model.id}`)),
    ];
  }

  generate(request: LlmRequest, options?: LlmCallOptions): Promise<LlmResult> {
    const { provider, model } = this.#route(request.model);
    return provider.generate(model === request.model ? request : { ...request, model }, options);
  }

  stream(request: LlmRequest, options?: LlmCallOptions): AsyncIterable<LlmStreamEvent> {
    const { provider, model } = this.#route(request.model);
    return provider.stream(model === request.model ? request : { ...request, model }, options);
  }

  async embed(request: EmbeddingRequest, options?: LlmCallOptions): Promise<number[][]> {
    const { provider, model } = this.#route(request.model);
    if (!provider.embed) {
      throw new MemgateError('UPSTREAM_ERROR', `The provider of ${request.model} has no embeddings.`);
    }
    return provider.embed({ ...request, model }, options);
  }

  /** Reachable when every provider is; the error names each one that is not. */
  async probe(options?: LlmCallOptions): Promise<ProbeResult> {
    return summariseProbes(await this.probeEach(options));
  }

  probeEach(options?: LlmCallOptions): Promise<NamedProbeResult[]> {
    const entries: [string, LlmProvider][] = [
      ...(this.#default ? [[DEFAULT_PROVIDER_NAME, this.#default] as [string, LlmProvider]] : []),
      ...[...this.#named].map(([name, named]): [string, LlmProvider] => [name, named.provider]),
    ];
    return Promise.all(
      entries.map(async ([name, provider]) => {
        const result: ProbeResult = provider.probe ? await provider.probe(options) : { reachable: true };
        return { name, ...result };
      }),
    );
  }

  checkModel(model: string, loc: (string | number)[]): void {
    const slash = model.indexOf('/');
    const prefix = slash > 0 ? model.slice(0, slash) : undefined;
    const named = prefix === undefined ? undefined : this.#named.get(prefix);
    if (named) {
      const id = model.slice(slash + 1);
      if (named.models.has(id)) return;
      const listed = [...named.models.keys()].join(', ');
      throw fieldError(
        loc,
        `The provider "${prefix}" has no model "${id}"; its models are: ${listed}.`,
        'model_not_found',
      );
    }
    if (this.#default && (prefix === undefined || prefix === DEFAULT_PROVIDER_NAME)) return;
    const names = [...(this.#default ? [DEFAULT_PROVIDER_NAME] : []), ...this.#named.keys()].join(', ');
    const message =
      prefix === undefined
        ? `The model "${model}" names no provider: write it as provider/model (providers: ${names}; see GET /v1/models).`
        : `The model "${model}" names an unknown provider "${prefix}" (providers: ${names}; see GET /v1/models).`;
    throw fieldError(loc, message, 'model_not_found');
  }

  capabilities(model: string): ModelCapabilities | null {
    const slash = model.indexOf('/');
    if (slash <= 0) return null;
    return this.#named.get(model.slice(0, slash))?.models.get(model.slice(slash + 1)) ?? null;
  }

  pricing(model: string): ModelPricing | null {
    const capabilities = this.capabilities(model);
    return capabilities && { inputPrice: capabilities.inputPrice, outputPrice: capabilities.outputPrice };
  }

  /** The name of the provider a call for `model` goes to (`default` for the MEMGATE_LLM_* upstream). */
  providerName(model: string): string {
    const slash = model.indexOf('/');
    const prefix = slash > 0 ? model.slice(0, slash) : '';
    return this.#named.has(prefix) ? prefix : DEFAULT_PROVIDER_NAME;
  }

  /** Each upstream's circuit breaker, `default` first. */
  circuits(): NamedCircuitReport[] {
    const providers = [
      ...(this.#default ? [this.#default] : []),
      ...[...this.#named.values()].map((named) => named.provider),
    ];
    return providers.flatMap((provider) => provider.circuits?.() ?? []);
  }

  /** The provider of `model` and the id it knows the model by. */
  #route(model: string): { provider: LlmProvider; model: string } {
    const slash = model.indexOf('/');
    if (slash > 0) {
      const prefix = model.slice(0, slash);
      const named = this.#named.get(prefix);
      if (named) return { provider: named.provider, model: model.slice(slash + 1) };
      if (prefix === DEFAULT_PROVIDER_NAME && this.#default)
        return { provider: this.#default, model: model.slice(slash + 1) };
    }
    // A prefix that is no provider's is the default's own name (`meta-llama/…` on vLLM): agents kept from before the file.
    if (this.#default) return { provider: this.#default, model };
    this.checkModel(model, ['body', 'model']);
    throw new MemgateError('BAD_USER_INPUT', `The model "${model}" has no provider.`, { param: 'model' });
  }
}

function capabilitiesOf(provider: string, model: ProviderModelConfig): ModelCapabilities {
  return {
    provider,
    upstreamModel: model.id,
    contextWindow: model.contextWindow,
    supportsTools: model.supportsTools,
    supportsVision: model.supportsVision,
    inputPrice: model.inputPrice,
    outputPrice: model.outputPrice,
  };
}

/** Several providers' probes as one: reachable when every one is, the error naming each that is not (or that erred). */
export function summariseProbes(results: NamedProbeResult[]): ProbeResult {
  const failing = results.filter((result) => !result.reachable || result.error);
  const reachable = results.every((result) => result.reachable);
  if (failing.length === 0) return { reachable };
  return { reachable, error: failing.map((result) => `${result.name}: ${result.error ?? 'unreachable'}`).join('; ') };
}
