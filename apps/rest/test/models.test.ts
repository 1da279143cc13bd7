import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

describe('GET /v1/models and /v1/models/{id}', () => {
  let harness: RestHarness;
  let client: OpenAI;
  let agentId: string;
  let createdAt: string;

  beforeAll(async () => {
    harness = await startRestHarness({ models: ['mock-model', 'meta-llama/Llama-3.1-8B'] });
    client = new OpenAI({ baseURL: `${harness.baseUrl}/v1`, apiKey: harness.apiKey, maxRetries: 0 });
    const agent = (await api(harness.baseUrl, harness.apiKey)('POST', '/v1/agents', { name: 'Support bot' })).body;
    agentId = agent['id'] as string;
    createdAt = agent['created_at'] as string;
  });
  afterAll(() => harness.close());

  const unknownDefault = {
    provider: 'default',
    context_window: null,
    supports_tools: null,
    supports_vision: null,
    input_price: null,
    output_price: null,
  };

  it('lists each agent with its name, owner and creation time, then the upstream models', async () => {
    const { status, body } = await api(harness.baseUrl, harness.apiKey)('GET', '/v1/models');
    expect(status).toBe(200);
    expect(body).toEqual({
      object: 'list',
      data: [
        {
          id: agentId,
          object: 'model',
          created: Math.floor(Date.parse(createdAt) / 1000),
          owned_by: 'memgate-agent',
          name: 'Support bot',
        },
        // One upstream (MEMGATE_LLM_*): the `default` provider, whose models' capabilities memgate does not know.
        { id: 'mock-model', object: 'model', created: 0, owned_by: 'upstream', name: 'mock-model', ...unknownDefault },
        {
          id: 'meta-llama/Llama-3.1-8B',
          object: 'model',
          created: 0,
          owned_by: 'upstream',
          name: 'meta-llama/Llama-3.1-8B',
          ...unknownDefault,
        },
      ],
    });
  });

  it('retrieves the same entry by agent id or upstream model id, a slash in the id sent raw or encoded', async () => {
    const alice = api(harness.baseUrl, harness.apiKey);
    const listed = (await alice('GET', '/v1/models')).body.data as { id: string }[];
    for (const entry of listed) {
      const byId = await alice('GET', `/v1/models/${encodeURIComponent(entry.id)}`);
      expect(byId.status).toBe(200);
      expect(byId.body).toEqual(entry);
    }
    const raw = await alice('GET', '/v1/models/meta-llama/Llama-3.1-8B');
    expect(raw.body).toMatchObject({ id: 'meta-llama/Llama-3.1-8B', owned_by: 'upstream' });
  });

  it("answers 404 model_not_found for an unknown id and for another user's agent", async () => {
    for (const [key, id] of [
      [harness.apiKey, 'gpt-unknown'],
      [harness.otherApiKey, agentId],
    ] as const) {
      const { status, body } = await api(harness.baseUrl, key)('GET', `/v1/models/${id}`);
      expect(status).toBe(404);
      expect(body).toEqual({
        detail: `The model '${id}' does not exist.`,
        error: {
          message: `The model '${id}' does not exist.`,
          type: 'not_found_error',
          param: 'model',
          code: 'model_not_found',
          request_id: expect.any(String),
        },
      });
    }
  });

  it('needs a key like every /v1 route', async () => {
    expect((await api(harness.baseUrl, null)('GET', `/v1/models/${agentId}`)).status).toBe(401);
  });

  it('works with openai-node models.list() and models.retrieve()', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual([agentId, 'mock-model', 'meta-llama/Llama-3.1-8B']);
    const agent = await client.models.retrieve(agentId);
    expect(agent).toMatchObject({ id: agentId, object: 'model', owned_by: 'memgate-agent', name: 'Support bot' });
    expect((await client.models.retrieve('meta-llama/Llama-3.1-8B')).id).toBe('meta-llama/Llama-3.1-8B');
    const missing = await client.models.retrieve('gpt-unknown').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });
});
