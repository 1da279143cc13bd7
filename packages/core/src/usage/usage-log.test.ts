import { describe, expect, it } from 'vitest';
import { MemgateError } from '../errors/memgate-error.ts';
import { OfflineProvider } from '../llm/offline-provider.ts';
import type { LlmProvider } from '../llm/provider.ts';
import { safetyIdentifier, withSafetyIdentifier } from './upstream-identity.ts';
import { costOf, outcomeOf, providerOf, UsageLog } from './usage-log.ts';

/** The offline model with a price list: a real provider, priced as the providers file would price it. */
function priced(prices: Record<string, { inputPrice: number | null; outputPrice: number | null }>): LlmProvider {
  const provider = new OfflineProvider();
  return Object.assign(provider, { pricing: (model: string) => prices[model] ?? null });
}

describe('usage records', () => {
  it('names a single upstream default, whatever the model name', () => {
    expect(providerOf(new OfflineProvider(), 'gpt-4o-mini')).toBe('default');
    expect(providerOf(new OfflineProvider(), 'meta-llama/Llama-3.1-8B')).toBe('default');
  });

  it('prices a call from USD per million tokens, cached tokens at the input price, null without a price', () => {
    const provider = priced({
      'a/model': { inputPrice: 2, outputPrice: 8 },
      'a/embed': { inputPrice: 0.02, outputPrice: null },
    });
    expect(costOf(provider, 'a/model', { prompt: 1_000_000, completion: 500_000 })).toBeCloseTo(6);
    expect(costOf(provider, 'a/embed', { prompt: 1000, completion: 0 })).toBeCloseTo(0.00002);
    expect(costOf(provider, 'a/embed', { prompt: 1000, completion: 1 })).toBeNull();
    expect(costOf(provider, 'unknown', { prompt: 1, completion: 1 })).toBeNull();
    expect(costOf(new OfflineProvider(), 'a/model', { prompt: 1, completion: 1 })).toBeNull();
  });

  it('keeps the error code of a failed call as its outcome', () => {
    expect(outcomeOf(new MemgateError('UPSTREAM_ERROR', 'x'))).toBe('upstream_error');
    expect(outcomeOf(new MemgateError('UPSTREAM_TIMEOUT', 'x'))).toBe('timeout');
    expect(outcomeOf(new MemgateError('RATE_LIMITED', 'x'))).toBe('rate_limited');
    expect(outcomeOf(new MemgateError('UPSTREAM_ERROR', 'x', { detailCode: 'context_length_exceeded' }))).toBe(
      'context_length_exceeded',
    );
    expect(outcomeOf(new DOMException('gone', 'AbortError'))).toBe('cancelled');
    expect(outcomeOf(new Error('socket hang up'))).toBe('upstream_error');
  });

  it('hands its records to one step only, and takes back those a failed commit did not store', () => {
    const owner = {
      userId: 'user-1',
      keyId: null,
      agentId: 'agent-1',
      conversationId: 'agent-1',
      turnId: 'chatcmpl-1',
    };
    const log = new UsageLog(owner, priced({ m: { inputPrice: 1, outputPrice: 1 } }));
    const usage = {
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
    };
    log.add({ model: 'm', purpose: 'step', startedAt: Date.UTC(2026, 0, 2), latencyMs: 12.6, usage });
    log.add({ model: 'm', purpose: 'summary', startedAt: Date.UTC(2026, 0, 2), latencyMs: 3, error: new Error('x') });
    const taken = log.take();
    expect(taken).toMatchObject([
      {
        ...owner,
        at: '2026-01-02T00:00:00.000Z',
        provider: 'default',
        promptTokens: 10,
        cachedTokens: 4,
        completionTokens: 5,
        costUsd: 15 / 1_000_000,
        latencyMs: 13,
        outcome: 'ok',
      },
      { purpose: 'summary', promptTokens: 0, completionTokens: 0, costUsd: 0, outcome: 'upstream_error' },
    ]);
    expect(log.take()).toBeUndefined();
    log.giveBack(taken);
    expect(log.take()).toEqual(taken);
  });

  it('identifies a user’s agent upstream by a stable hash, never the ids, unless the client chose one', () => {
    const identity = { userId: 'user-1', agentId: 'agent-1' };
    const id = safetyIdentifier(identity);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(safetyIdentifier({ ...identity })).toBe(id);
    expect(safetyIdentifier({ userId: 'user-1', agentId: 'agent-2' })).not.toBe(id);
    const request = { model: 'm', messages: [], sampling: {} };
    expect(withSafetyIdentifier(request, identity).sampling.safety_identifier).toBe(id);
    const chosen = { ...request, sampling: { safety_identifier: 'mine' } };
    expect(withSafetyIdentifier(chosen, identity)).toBe(chosen);
  });
});
