import { RestSetup } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { AGENT_FIELDS, COMPLETE } from './graphql-operations.ts';
import { postGraphql } from './graphql-transport.ts';

describe('GraphQL with a read-only key', () => {
  let harness: GraphqlHarness;
  let agentId: string;

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    agentId = await new RestSetup(harness.baseUrl, harness.apiKey).createAgent({ name: 'readable' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const asReader = <Data>(query: string, variables: Record<string, unknown> = {}) =>
    postGraphql<Data>(harness.graphqlUrl, harness.readApiKey, query, variables);

  it('reads agents, one agent and its messages', async () => {
    const read = await asReader<{ agents: { id: string }[]; agent: { id: string }; messages: unknown[] }>(
      `query($id: ID!) { agents { id } agent(id: $id) { ${AGENT_FIELDS} } messages(agentId: $id) { id } }`,
      { id: agentId },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data?.agents.map((agent) => agent.id)).toEqual([agentId]);
    expect(read.data?.agent.id).toBe(agentId);
    expect(read.data?.messages).toEqual([]);
  });

  it('gets FORBIDDEN (403, insufficient_scope) on every mutation, and nothing changes', async () => {
    const mutations: [string, Record<string, unknown>][] = [
      ['mutation { createAgent(input: { name: "nope" }) { id } }', {}],
      ['mutation($id: ID!) { deleteAgent(id: $id) }', { id: agentId }],
      [COMPLETE, { input: { agentId, messages: [{ role: 'user', content: 'Hi' }] } }],
    ];
    for (const [query, variables] of mutations) {
      const response = await asReader(query, variables);
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        status: 403,
      });
      expect(response.errors?.[0]?.message).toMatch(/read-only/);
    }
    const agents = await new RestSetup(harness.baseUrl, harness.apiKey).request<{ data: { id: string }[] }>(
      'GET',
      '/v1/agents',
    );
    expect(agents.data.map((agent) => agent.id)).toEqual([agentId]);
    expect(harness.upstream.requests).toHaveLength(0);
  });
});
