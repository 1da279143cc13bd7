import { RestSetup, readAgentFileFixture } from '@memgate/testkit';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRAPHQL_LIMITS } from '../src/index.ts';
import { frontendOperations, variablesFor } from './console-operations.ts';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { postGraphql, wsClient } from './graphql-transport.ts';

describe('the console’s operations under the default operation limits', () => {
  let harness: GraphqlHarness;
  let rest: RestSetup;
  let ws: Client;

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    rest = new RestSetup(harness.baseUrl, harness.apiKey);
    ws = wsClient(harness.wsUrl, harness.apiKey);
  });
  afterAll(async () => {
    await ws?.dispose();
    await harness?.close();
  });

  /** A fresh agent per operation (some delete or rename it), with a turn and a passage stored. */
  async function valuesForFreshAgent(): Promise<Record<string, unknown>> {
    const agentId = await rest.createAgent({ name: 'console-ops', human: 'Name: unknown' });
    await rest.request('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'My cat is a tabby.' }],
    });
    const passage = await rest.request<{ id: string }>('POST', `/v1/agents/${agentId}/archival`, {
      content: 'Tabby cats purr.',
    });
    const { blocks } = await rest.request<{ blocks: { id: string; label: string; version: number }[] }>(
      'GET',
      `/v1/agents/${agentId}/memory`,
    );
    const human = blocks.find((block) => block.label === 'human')!;
    return {
      ChatCompletionInput: { agentId, messages: [{ role: 'user', content: 'Hi' }] },
      CreateAgentInput: { name: 'From the console' },
      UpdateAgentInput: { name: 'Renamed' },
      id: agentId,
      agentId,
      conversationId: agentId,
      query: 'tabby',
      content: 'A tabby fact.',
      passageId: passage.id,
      label: 'human',
      blockId: human.id,
      value: 'Name: Ada',
      version: human.version,
      file: JSON.parse(readAgentFileFixture('memgpt_agent_with_convo.af')),
    };
  }

  it('runs every console and reference operation without an error, over graphql-ws', async () => {
    const operations = frontendOperations();
    // The console's own operations and the reference's examples (docs/graphql.md) both count.
    expect(operations.filter((operation) => operation.source.startsWith('console')).length).toBeGreaterThan(0);
    expect(operations.filter((operation) => operation.source.startsWith('docs')).length).toBeGreaterThanOrEqual(10);
    for (const { source, document } of operations) {
      const variables = variablesFor(document, await valuesForFreshAgent());
      const results = ws.iterate({ query: document, variables });
      try {
        const first = await results.next();
        expect(first.value?.errors, source).toBeUndefined();
        expect(first.value?.data, source).toBeTruthy();
      } finally {
        await results.return?.();
      }
    }
  });

  it('still refuses the same operations when the limits are lowered below them', async () => {
    const strict = await startGraphqlHarness({ limits: { maxDepth: 2, maxCost: 20 } });
    try {
      const agentMemory = frontendOperations().find((operation) => operation.source === 'docs AgentMemory')!;
      const answer = await postGraphql(strict.graphqlUrl, strict.apiKey, agentMemory.document, { id: 'agent-x' });
      expect(answer.errors?.map((error) => error.extensions?.['code'])).toContain('BAD_USER_INPUT');
      expect(answer.errors?.map((error) => error.message).join('\n')).toMatch(/depth limit|Cost limit/);
    } finally {
      await strict.close();
    }
    expect(DEFAULT_GRAPHQL_LIMITS.maxDepth).toBeGreaterThan(2);
  });
});
