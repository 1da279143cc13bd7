import { createOpenAI } from '@ai-sdk/openai';
import { sendMessage } from '@memgate/testkit';
import { generateText, type LanguageModel, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useClientHarness } from './client-harness.ts';
import { clientToolCall, lastUpstreamMessage } from './upstream-answers.ts';

const lookupOrder = tool({
  description: 'Look up an order by id',
  inputSchema: z.object({ id: z.string() }),
  execute: async ({ id }) => `Order ${id} has shipped.`,
});

describe("the AI SDK's default provider, createOpenAI({ baseURL })(agentId): the Responses API", () => {
  const harness = useClientHarness();
  let model: LanguageModel;

  beforeEach(async () => {
    harness.upstream.reset();
    const agentId = await harness.setup.createAgent({ name: 'ai-sdk-responses' });
    model = createOpenAI({ baseURL: harness.baseURL, apiKey: harness.apiKey })(agentId);
  });

  it('generateText() returns the agent reply and its usage', async () => {
    harness.upstream.script({ ...sendMessage('Hello through the Responses API.'), usage: { prompt_tokens: 30 } });
    // The default provider speaks the Responses API (it is what used to fail with a 404).
    expect((model as { provider: string }).provider).toBe('openai.responses');
    const result = await generateText({ model, prompt: 'Hi', maxRetries: 0 });
    expect(result.text).toBe('Hello through the Responses API.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it('a second turn resending the transcript (item_reference to the stored reply) stores nothing twice', async () => {
    harness.upstream.script(sendMessage('Noted.'), sendMessage('You like tea.'));
    const first = await generateText({ model, prompt: 'I like tea.', maxRetries: 0 });
    const second = await generateText({
      model,
      maxRetries: 0,
      messages: [
        { role: 'user', content: 'I like tea.' },
        ...first.response.messages,
        { role: 'user', content: 'What do I like?' },
      ],
    });
    expect(second.text).toBe('You like tea.');
    const prompt = JSON.stringify(harness.upstream.requests.at(-1)?.body.messages);
    expect(prompt.split('I like tea.').length - 1).toBe(1);
    // The SDK named its stored reply by reference rather than resending it.
    const items = await fetch(`${harness.baseURL}/responses/${second.response.id}/input_items?order=asc`, {
      headers: { authorization: `Bearer ${harness.apiKey}` },
    });
    const types = ((await items.json()) as { data: { type: string }[] }).data.map((item) => item.type);
    expect(types).toEqual(['message', 'item_reference', 'message']);
  });

  it('streamText() streams the reply', async () => {
    harness.upstream.script(sendMessage('Streaming through the Responses API.', { chunkSize: 4 }));
    const result = streamText({ model, prompt: 'Go', maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe('Streaming through the Responses API.');
    expect(deltas.length).toBeGreaterThan(1);
    expect((await result.usage).totalTokens).toBeGreaterThan(0);
  });

  it('generateText() with a tool: a function_call item, the SDK runs it, the agent answers', async () => {
    harness.upstream.script(clientToolCall('lookup_order', { id: 'A17' }), sendMessage('A17 is on its way.'));
    const result = await generateText({
      model,
      prompt: 'Where is A17?',
      maxRetries: 0,
      stopWhen: stepCountIs(2),
      tools: { lookup_order: lookupOrder },
    });
    expect(result.text).toBe('A17 is on its way.');
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ toolName: 'lookup_order', input: { id: 'A17' } });
    expect(lastUpstreamMessage(harness.upstream.requests.at(-1), 'tool')).toBe('Order A17 has shipped.');
  });

  it('streamText() with a tool streams the answer of the next step', async () => {
    harness.upstream.script(
      clientToolCall('lookup_order', { id: 'B2' }),
      sendMessage('B2 left today.', { chunkSize: 4 }),
    );
    const result = streamText({
      model,
      prompt: 'Where is B2?',
      maxRetries: 0,
      stopWhen: stepCountIs(2),
      tools: { lookup_order: lookupOrder },
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('B2 left today.');
    expect(lastUpstreamMessage(harness.upstream.requests.at(-1), 'tool')).toBe('Order B2 has shipped.');
  });
});

describe('openai-node responses against a real memgate server', () => {
  const harness = useClientHarness();
  let client: OpenAI;
  let agentId: string;

  beforeAll(() => {
    client = new OpenAI({ baseURL: harness.baseURL, apiKey: harness.apiKey, maxRetries: 0 });
  });
  beforeEach(async () => {
    harness.upstream.reset();
    agentId = await harness.setup.createAgent({ name: 'openai-node-responses' });
  });

  it('responses.create, then responses.stream continuing it by previous_response_id', async () => {
    harness.upstream.script(sendMessage('Noted, Ada.'), sendMessage('You are Ada.', { chunkSize: 3 }));
    const first = await client.responses.create({ model: agentId, input: 'My name is Ada.' });
    expect(first.output_text).toBe('Noted, Ada.');
    const stream = client.responses.stream({ model: agentId, previous_response_id: first.id, input: 'Who am I?' });
    let text = '';
    stream.on('response.output_text.delta', (event) => {
      text += event.delta;
    });
    const final = await stream.finalResponse();
    expect(text).toBe('You are Ada.');
    expect(final.output_text).toBe('You are Ada.');
    expect(final.previous_response_id).toBe(first.id);
    expect(JSON.stringify(harness.upstream.requests.at(-1)?.body.messages)).toContain('My name is Ada.');
  });

  it('a function-tool round trip: function_call item, then function_call_output', async () => {
    harness.upstream.script(clientToolCall('lookup_order', { id: 'C3' }), sendMessage('C3 is delayed.'));
    const tools: OpenAI.Responses.Tool[] = [
      {
        type: 'function',
        name: 'lookup_order',
        parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        strict: false,
      },
    ];
    const first = await client.responses.create({ model: agentId, input: 'Where is C3?', tools });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'lookup_order', arguments: '{"id":"C3"}' });
    const second = await client.responses.create({
      model: agentId,
      previous_response_id: first.id,
      tools,
      input: [{ type: 'function_call_output', call_id: call?.call_id ?? '', output: 'Delayed by a storm.' }],
    });
    expect(second.output_text).toBe('C3 is delayed.');
  });

  it('a fork from an older response leaves the later exchange out', async () => {
    harness.upstream.script(sendMessage('One.'), sendMessage('Two.'), sendMessage('Two, again.'));
    const first = await client.responses.create({ model: agentId, input: 'question one' });
    await client.responses.create({ model: agentId, previous_response_id: first.id, input: 'question two' });
    const fork = await client.responses.create({
      model: agentId,
      previous_response_id: first.id,
      input: 'question three',
    });
    expect(fork.conversation?.id).not.toBe(first.conversation?.id);
    const prompt = JSON.stringify(harness.upstream.requests.at(-1)?.body.messages);
    expect(prompt).toContain('question one');
    expect(prompt).not.toContain('question two');
  });
});
