import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemgateError } from '../errors/memgate-error.ts';
import { OpenAiCompatibleProvider } from './openai-provider.ts';
import { ProviderRegistry } from './provider-registry.ts';

/**
 * A real HTTP upstream answering every chat request with its own name, and every embeddings request
 * with one vector per input whose first element tells the upstreams apart; it records the models asked for.
 */
async function upstream(name: string): Promise<{ url: string; models: string[]; server: Server }> {
  const models: string[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on('end', () => {
      const body = JSON.parse(text || '{}') as { model?: string; input?: string[] };
      const model = body.model ?? '';
      models.push(model);
      response.setHeader('content-type', 'application/json');
      if (request.url?.endsWith('/embeddings')) {
        const mark = name === 'alpha' ? 1 : 2;
        const data = (body.input ?? []).map((_input, index) => ({ object: 'embedding', index, embedding: [mark, 0] }));
        response.end(JSON.stringify({ object: 'list', data, model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
        return;
      }
      response.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 0,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: name }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, models, server };
}

const model = (id: string, extra: { inputPrice?: number; outputPrice?: number } = {}) => ({
  id,
  contextWindow: 32_768,
  supportsTools: true,
  supportsVision: false,
  inputPrice: extra.inputPrice ?? null,
  outputPrice: extra.outputPrice ?? null,
});

describe('ProviderRegistry', () => {
  const servers: Awaited<ReturnType<typeof upstream>>[] = [];
  let registry: ProviderRegistry;
  let withoutDefault: ProviderRegistry;

  beforeAll(async () => {
    servers.push(await upstream('default'), await upstream('alpha'));
    const [fallback, alpha] = servers;
    const provider = (url: string, models: string[]) => new OpenAiCompatibleProvider({ baseURL: url, models });
    const alphaEntry = {
      name: 'alpha',
      provider: provider(alpha?.url ?? '', ['a-1']),
      models: [model('a-1', { inputPrice: 3, outputPrice: 15 }), model('a-2')],
    };
    registry = new ProviderRegistry({
      defaultProvider: provider(fallback?.url ?? '', ['d-1']),
      providers: [alphaEntry],
    });
    withoutDefault = new ProviderRegistry({ providers: [alphaEntry] });
  });
  afterAll(async () => {
    await Promise.all(servers.map(({ server }) => new Promise((resolve) => server.close(resolve))));
  });

  const ask = async (on: ProviderRegistry, name: string) =>
    (await on.generate({ model: name, messages: [{ role: 'user', content: 'hi' }], sampling: {} })).content;

  it('routes name/model to that provider with the bare id, and anything else to default unchanged', async () => {
    expect(await ask(registry, 'alpha/a-1')).toBe('alpha');
    expect(await ask(registry, 'd-1')).toBe('default');
    expect(await ask(registry, 'default/d-1')).toBe('default');
    // A slash that names no provider is the default upstream's own model name (an agent kept from before the file).
    expect(await ask(registry, 'meta-llama/Llama-3.1-8B')).toBe('default');
    expect(servers[1]?.models).toEqual(['a-1']);
    expect(servers[0]?.models).toEqual(['d-1', 'd-1', 'meta-llama/Llama-3.1-8B']);
  });

  it('names the provider a call goes to, as usage records show it', () => {
    expect(registry.providerName('alpha/a-1')).toBe('alpha');
    expect(registry.providerName('d-1')).toBe('default');
    expect(registry.providerName('default/d-1')).toBe('default');
    expect(registry.providerName('meta-llama/Llama-3.1-8B')).toBe('default');
  });

  it('routes embeddings the same way', async () => {
    const vectors = await registry.embed({ model: 'alpha/a-2', input: ['x', 'y'] });
    expect(vectors).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(await registry.embed({ model: 'text-embedding-3-small', input: ['x'] })).toEqual([[2, 0]]);
    expect(servers[1]?.models.at(-1)).toBe('a-2');
    expect(servers[0]?.models.at(-1)).toBe('text-embedding-3-small');
  });

  it('lists the default model bare and the file models as name/model', () => {
    expect(registry.models).toEqual(['d-1', 'alpha/a-1', 'alpha/a-2']);
    expect(withoutDefault.models).toEqual(['alpha/a-1', 'alpha/a-2']);
  });

  it('checkModel: a 422 naming the field for an unknown provider or model; default takes any name', () => {
    const refused = (on: ProviderRegistry, name: string) => {
      try {
        on.checkModel(name, ['body', 'model']);
      } catch (error) {
        expect(error).toBeInstanceOf(MemgateError);
        expect((error as MemgateError).status).toBe(422);
        expect((error as MemgateError).param).toBe('model');
        return (error as MemgateError).message;
      }
      return null;
    };
    expect(refused(registry, 'alpha/a-2')).toBeNull();
    expect(refused(registry, 'anything-at-all')).toBeNull();
    expect(refused(registry, 'default/any/thing')).toBeNull();
    expect(refused(registry, 'alpha/a-3')).toBe('The provider "alpha" has no model "a-3"; its models are: a-1, a-2.');
    expect(refused(registry, 'beta/b-1')).toContain('unknown provider "beta" (providers: default, alpha;');
    expect(refused(withoutDefault, 'd-1')).toContain('names no provider: write it as provider/model');
    expect(refused(withoutDefault, 'default/d-1')).toContain('unknown provider "default"');
  });

  it('without a default, a model that names no provider is refused at the call too', async () => {
    await expect(ask(withoutDefault, 'd-1')).rejects.toMatchObject({ status: 422, param: 'model' });
  });

  it('pricing and capabilities come from the file; null for default and unknown models', () => {
    expect(registry.pricing('alpha/a-1')).toEqual({ inputPrice: 3, outputPrice: 15 });
    expect(registry.pricing('alpha/a-2')).toEqual({ inputPrice: null, outputPrice: null });
    expect(registry.pricing('d-1')).toBeNull();
    expect(registry.pricing('alpha/a-3')).toBeNull();
    expect(registry.capabilities('alpha/a-2')).toMatchObject({
      provider: 'alpha',
      upstreamModel: 'a-2',
      contextWindow: 32_768,
    });
  });

  it('probes each provider by name and sums them up', async () => {
    expect(await registry.probeEach()).toEqual([
      { name: 'default', reachable: true },
      { name: 'alpha', reachable: true },
    ]);
    expect(await registry.probe()).toEqual({ reachable: true });
  });
});
