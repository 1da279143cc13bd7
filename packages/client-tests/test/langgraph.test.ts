import { tool } from '@langchain/core/tools';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { ChatOpenAI } from '@langchain/openai';
import { sendMessage } from '@memgate/testkit';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { useClientHarness } from './client-harness.ts';
import { clientToolCall, lastUpstreamMessage } from './upstream-answers.ts';

const harness = useClientHarness();

// Needs `name` on tool messages (issue 11, item 1): LangGraph's ToolNode sends ToolMessages with it.
it('LangGraph createReactAgent runs one tool through the agent and ends with its answer', async () => {
  const agentId = await harness.setup.createAgent({ name: 'langgraph' });
  const llm = new ChatOpenAI({
    model: agentId,
    apiKey: harness.apiKey,
    configuration: { baseURL: harness.baseURL },
    maxRetries: 0,
  });
  const weather = tool(async ({ city }) => `Sunny in ${city}, 21 °C.`, {
    name: 'get_weather',
    description: 'Current weather of a city',
    schema: z.object({ city: z.string() }),
  });
  const agent = createReactAgent({ llm, tools: [weather] });

  harness.upstream.script(clientToolCall('get_weather', { city: 'Lisbon' }), sendMessage('Lisbon: sunny, 21 °C.'));
  const result = await agent.invoke({ messages: [{ role: 'user', content: 'Weather in Lisbon?' }] });

  expect(result.messages.at(-1)?.content).toBe('Lisbon: sunny, 21 °C.');
  expect(result.messages.map((message) => message.getType())).toEqual(['human', 'ai', 'tool', 'ai']);
  expect(lastUpstreamMessage(harness.upstream.requests.at(-1), 'tool')).toBe('Sunny in Lisbon, 21 °C.');
});
