import { ChatOpenAI } from '@langchain/openai';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { useClientHarness } from './client-harness.ts';
import { clientToolCall } from './upstream-answers.ts';

const harness = useClientHarness();

// Structured output by a forced client tool call: memgate hands the `extract` call to the client.
it("LangChain withStructuredOutput({ method: 'functionCalling' }) reads the forced tool call", async () => {
  const agentId = await harness.setup.createAgent({ name: 'function-calling' });
  const model = new ChatOpenAI({
    model: agentId,
    apiKey: harness.apiKey,
    configuration: { baseURL: harness.baseURL },
    maxRetries: 0,
  });
  const Weather = z.object({ city: z.string(), temperature: z.number() });
  harness.upstream.script(clientToolCall('extract', { city: 'Lisbon', temperature: 21 }));

  const structured = model.withStructuredOutput(Weather, { method: 'functionCalling' });
  expect(await structured.invoke('Weather in Lisbon')).toEqual({ city: 'Lisbon', temperature: 21 });
  expect(harness.upstream.requests[0]?.body.tools?.map((offered) => offered.function.name)).toContain('extract');
});
