import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { sendMessage } from '@memgate/testkit';
import { generateText, type LanguageModel, stepCountIs, streamText, tool } from 'ai';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type UsedHarness, useClientHarness } from './client-harness.ts';
import { clientToolCall, lastUpstreamMessage } from './upstream-answers.ts';

/** The two ways to point the AI SDK at an OpenAI-compatible server; the agent is the model id. */
const providers: Record<string, (harness: UsedHarness, agentId: string) => LanguageModel> = {
  '@ai-sdk/openai-compatible': (harness, agentId) =>
    createOpenAICompatible({ name: 'memgate', baseURL: harness.baseURL, apiKey: harness.apiKey, includeUsage: true })(
      agentId,
    ),
  'createOpenAI(...).chat': (harness, agentId) =>
    createOpenAI({ baseURL: harness.baseURL, apiKey: harness.apiKey }).chat(agentId),
};

describe.each(Object.entries(providers))('the AI SDK through %s', (_name, provider) => {
  const harness = useClientHarness();
  let model: LanguageModel;

  beforeEach(async () => {
    harness.upstream.reset();
    model = provider(harness, await harness.setup.createAgent({ name: 'ai-sdk' }));
  });

  it('generateText() returns the agent reply and its usage', async () => {
    harness.upstream.script(sendMessage('Hello from the agent.'));
    const result = await generateText({ model, prompt: 'Hi', maxRetries: 0 });
    expect(result.text).toBe('Hello from the agent.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.totalTokens).toBeGreaterThan(0);
  });

  it('streamText() streams the reply', async () => {
    harness.upstream.script(sendMessage('Streaming through the AI SDK.', { chunkSize: 4 }));
    const result = streamText({ model, prompt: 'Go', maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe('Streaming through the AI SDK.');
    expect(deltas.length).toBeGreaterThan(1);
    expect((await result.usage).totalTokens).toBeGreaterThan(0);
  });

  it('streamText() with a tool: the SDK runs it and streams the agent answer in the next step', async () => {
    harness.upstream.script(clientToolCall('lookup_order', { id: 'A17' }), sendMessage('A17 is on its way.'));
    const result = streamText({
      model,
      prompt: 'Where is A17?',
      maxRetries: 0,
      stopWhen: stepCountIs(2),
      tools: {
        lookup_order: tool({
          description: 'Look up an order by id',
          inputSchema: z.object({ id: z.string() }),
          execute: async ({ id }) => `Order ${id} has shipped.`,
        }),
      },
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('A17 is on its way.');
    const steps = await result.steps;
    expect(steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(steps[0]?.toolResults.map((toolResult) => toolResult.output)).toEqual(['Order A17 has shipped.']);
    expect(lastUpstreamMessage(harness.upstream.requests.at(-1), 'tool')).toBe('Order A17 has shipped.');
  });
});
