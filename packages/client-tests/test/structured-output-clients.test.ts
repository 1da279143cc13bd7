import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { ChatOpenAI } from '@langchain/openai';
import { generateObject, type LanguageModel } from 'ai';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useClientHarness } from './client-harness.ts';
import { answerJson } from './upstream-answers.ts';

// Needs response_format json_object / json_schema (issue 11, item 2).
const Weather = z.object({ city: z.string(), temperature: z.number(), conditions: z.enum(['sunny', 'rain']) });
const LISBON = { city: 'Lisbon', temperature: 21, conditions: 'sunny' } as const;

describe('structured output from the clients that ask for it', () => {
  const harness = useClientHarness();
  let agentId: string;

  beforeEach(async () => {
    harness.upstream.reset();
    harness.upstream.setDefault(answerJson(LISBON));
    agentId = await harness.setup.createAgent({ name: 'structured' });
  });

  function langchain(): ChatOpenAI {
    const model = new ChatOpenAI({
      model: agentId,
      apiKey: harness.apiKey,
      configuration: { baseURL: harness.baseURL },
      maxRetries: 0,
    });
    return model;
  }

  it('LangChain withStructuredOutput() in its default mode (json_schema)', async () => {
    expect(await langchain().withStructuredOutput(Weather).invoke('Weather in Lisbon as JSON')).toEqual(LISBON);
  });

  it("LangChain withStructuredOutput({ method: 'jsonMode' }) (json_object)", async () => {
    const structured = langchain().withStructuredOutput(Weather, { method: 'jsonMode' });
    expect(await structured.invoke('Weather in Lisbon as JSON')).toEqual(LISBON);
  });

  it('openai-node chat.completions.parse() with zodResponseFormat', async () => {
    const client = new OpenAI({ baseURL: harness.baseURL, apiKey: harness.apiKey, maxRetries: 0 });
    const completion = await client.chat.completions.parse({
      model: agentId,
      messages: [{ role: 'user', content: 'Weather in Lisbon as JSON' }],
      response_format: zodResponseFormat(Weather, 'weather'),
    });
    expect(completion.choices[0]?.message.parsed).toEqual(LISBON);
  });

  const aiSdk: Record<string, (agent: string) => LanguageModel> = {
    '@ai-sdk/openai-compatible': (agent) =>
      createOpenAICompatible({
        name: 'memgate',
        baseURL: harness.baseURL,
        apiKey: harness.apiKey,
        supportsStructuredOutputs: true,
      })(agent),
    'createOpenAI(...).chat': (agent) => createOpenAI({ baseURL: harness.baseURL, apiKey: harness.apiKey }).chat(agent),
  };
  it.each(Object.keys(aiSdk))('AI SDK generateObject() through %s', async (name) => {
    const model = aiSdk[name]!(agentId);
    const { object } = await generateObject({ model, schema: Weather, prompt: 'Weather in Lisbon', maxRetries: 0 });
    expect(object).toEqual(LISBON);
  });
});
