import { sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useClientHarness } from './client-harness.ts';
import { clientToolCall, lastUpstreamMessage } from './upstream-answers.ts';

describe('openai-node helpers against memgate (the agent named by `model`)', () => {
  const harness = useClientHarness();
  let client: OpenAI;
  let agentId: string;

  beforeAll(() => {
    client = new OpenAI({ baseURL: harness.baseURL, apiKey: harness.apiKey, maxRetries: 0 });
  });
  beforeEach(async () => {
    harness.upstream.reset();
    agentId = await harness.setup.createAgent({ name: 'openai-node' });
  });

  it('runTools() calls the tool and returns the agent answer', async () => {
    harness.upstream.script(clientToolCall('lookup_order', { id: 'A17' }), sendMessage('A17 is on its way.'));
    const runner = client.chat.completions.runTools({
      model: agentId,
      messages: [{ role: 'user', content: 'Where is A17?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'lookup_order',
            description: 'Look up an order by id',
            parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
            parse: (input: string) => JSON.parse(input) as { id: string },
            function: ({ id }: { id: string }) => `Order ${id} has shipped.`,
          },
        },
      ],
    });
    expect(await runner.finalContent()).toBe('A17 is on its way.');
    expect(lastUpstreamMessage(harness.upstream.requests.at(-1), 'tool')).toBe('Order A17 has shipped.');
  });

  it('models.retrieve() and models.list() show the agent by name', async () => {
    expect(await client.models.retrieve(agentId)).toMatchObject({ id: agentId, name: 'openai-node' });
    const listed: string[] = [];
    for await (const model of client.models.list()) listed.push(model.id);
    expect(listed).toContain(agentId);
  });
});
