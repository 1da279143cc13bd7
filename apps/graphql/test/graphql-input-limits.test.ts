import { RestSetup } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { COMPLETE } from './graphql-operations.ts';

interface GraphqlErrorBody {
  errors?: { message: string; extensions?: { code?: string; status?: number; param?: string } }[];
}

/**
 * Input far past the depth limit, as raw text (no client could serialise it): the core refuses it
 * before anything is stored, with the same field REST names.
 */
describe('GraphQL input limits', () => {
  let harness: GraphqlHarness;
  let rest: RestSetup;

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    rest = new RestSetup(harness.baseUrl, harness.apiKey);
  });
  afterAll(() => harness.close());

  it('refuses a tool schema 10,000 levels deep with BAD_USER_INPUT and stores nothing', async () => {
    const agentId = await rest.createAgent({ name: 'deep' });
    const deep = `${'{"p":'.repeat(10_000)}{}${'}'.repeat(10_000)}`;
    const input = JSON.stringify({
      agentId,
      model: 'mock-model',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'function', function: { name: 'd', parameters: '<deep>' } }],
    }).replace('"<deep>"', deep);
    const response = await fetch(harness.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: `{"query":${JSON.stringify(COMPLETE)},"variables":{"input":${input}}}`,
    });
    const body = (await response.json()) as GraphqlErrorBody;
    const error = body.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 422 });
    // The JSON scalar may refuse it first (its own depth cap): either way a 422 that says why.
    expect(error?.message).toMatch(/deep/i);
    expect(await rest.messages(agentId)).toEqual([]);
    expect(harness.upstream.requests).toHaveLength(0);
  });
});
