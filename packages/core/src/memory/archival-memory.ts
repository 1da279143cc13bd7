import { randomUUID } from 'node:crypto';
import { countTextTokens } from '../context/token-counter.ts';
import type { NewPassage, Passage } from '../domain/types.ts';
import { isAbortError } from '../errors/memgate-error.ts';
import type { LlmCallOptions, LlmProvider } from '../llm/provider.ts';
import { DEFAULT_MIN_SIMILARITY, type PassageSearch } from '../store/search.ts';
import type { Store } from '../store/store.ts';
import { withIdentityHeaders } from '../usage/upstream-identity.ts';
import { UsageLog, type UsageOwner } from '../usage/usage-log.ts';
import { pageOffset, type SearchResults, searchResults } from './search-results.ts';
import { searchTerms } from './search-text.ts';
import { normaliseVector } from './vectors.ts';

/** Longest passage accepted: embedding models take about 8k tokens, and one passage is one memory. */
export const MAX_PASSAGE_CHARACTERS = 20_000;

export interface ArchivalMemoryOptions {
  store: Store;
  provider: LlmProvider;
  /** When set (and the provider can embed), passages and queries are embedded with this model. */
  embeddingModel?: string;
  /** Cosine similarity under which a vector is no match. */
  minSimilarity?: number;
}

/** Archival memory: passages the agent (or its user) stored, ranked by text and, optionally, meaning. */
export class ArchivalMemory {
  readonly #options: ArchivalMemoryOptions;

  constructor(options: ArchivalMemoryOptions) {
    this.#options = options;
  }

  /**
   * This archival memory as an agent with its own `embedding_model` uses it (that model, else the
   * server's). Passages keep the model they were embedded with, and a search compares only vectors
   * of its own model (text search still finds the rest).
   */
  withModel(embeddingModel: string | null | undefined): ArchivalMemory {
    if (!embeddingModel || embeddingModel === this.#options.embeddingModel) return this;
    return new ArchivalMemory({ ...this.#options, embeddingModel });
  }

  /** A log for the embedding calls of work done for `owner` outside a turn. */
  usageLog(owner: UsageOwner): UsageLog {
    return new UsageLog(owner, this.#options.provider);
  }

  /** The embedding model in use, or null when search is text only. */
  get embeddingModel(): string | null {
    return this.#options.embeddingModel && this.#options.provider.embed ? this.#options.embeddingModel : null;
  }

  /**
   * A passage ready to store, embedded when a model is configured. An embedding failure is thrown:
   * a passage stored without its vector would silently never be found by meaning. The embedding
   * call is recorded in `usage` when given.
   */
  async prepare(agentId: string, content: string, signal?: AbortSignal, usage?: UsageLog): Promise<NewPassage> {
    const model = this.embeddingModel;
    const embedding = model ? await this.#embed(model, agentId, content, { signal, usage }) : null;
    return {
      id: `passage-${randomUUID()}`,
      agentId,
      content,
      embeddingModel: embedding ? model : null,
      embedding,
      createdAt: new Date().toISOString(),
    };
  }

  async insert(agentId: string, content: string, signal?: AbortSignal, usage?: UsageLog): Promise<Passage> {
    const [stored] = await this.#options.store.insertPassages([await this.prepare(agentId, content, signal, usage)]);
    if (!stored) throw new Error('The store returned no passage.');
    return stored;
  }

  async search(
    agentId: string,
    query: string,
    paging: { page: number; pageSize: number },
    signal?: AbortSignal,
    usage?: UsageLog,
  ): Promise<SearchResults<Passage>> {
    const search: PassageSearch = {
      terms: searchTerms(query),
      limit: paging.pageSize,
      offset: pageOffset(paging.page, paging.pageSize),
      minSimilarity: this.#options.minSimilarity ?? DEFAULT_MIN_SIMILARITY,
    };
    const model = this.embeddingModel;
    if (model && query.trim() !== '') {
      try {
        const vector = await this.#embed(model, agentId, query, { signal, usage });
        if (vector) search.embedding = { model, vector };
      } catch (error) {
        // Text search still answers while the embeddings endpoint fails; `mode` tells the caller.
        if (isAbortError(error)) throw error;
      }
    }
    const found = await this.#options.store.searchPassages(agentId, search);
    return searchResults({
      query,
      page: paging.page,
      pageSize: paging.pageSize,
      total: found.total,
      hits: found.hits,
      mode: search.embedding ? 'hybrid' : 'text',
    });
  }

  /**
   * One embeddings call, recorded in `call.usage` when given. The provider answers vectors only, so
   * the record counts the input's tokens with memgate's own tokenizer.
   */
  async #embed(
    model: string,
    agentId: string,
    text: string,
    call: { signal?: AbortSignal | undefined; usage?: UsageLog | undefined },
  ): Promise<Float32Array | null> {
    const embed = this.#options.provider.embed?.bind(this.#options.provider);
    if (!embed) return null;
    const { usage } = call;
    const plain: LlmCallOptions = call.signal ? { signal: call.signal } : {};
    const options = usage ? withIdentityHeaders(plain, { userId: usage.userId, agentId }) : plain;
    const started = performance.now();
    const record = { model, purpose: 'embedding' as const, startedAt: Date.now() };
    try {
      const [vector] = await embed({ model, input: [text] }, options);
      const tokens = countTextTokens(text);
      usage?.add({
        ...record,
        latencyMs: performance.now() - started,
        usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens },
      });
      return vector ? normaliseVector(vector) : null;
    } catch (error) {
      usage?.add({ ...record, latencyMs: performance.now() - started, error });
      throw error;
    }
  }
}
