import { sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

const Weather = z.object({ city: z.string(), temperature: z.number(), conditions: z.array(z.string()) });

describe('structured output through the official openai SDK', () => {
  let harness: RestHarness;
  let client: OpenAI;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness();
    client = new OpenAI({ baseURL: `${harness.baseUrl}/v1`, apiKey: harness.apiKey, maxRetries: 0 });
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.upstream.reset();
    const response = await fetch(`${harness.baseUrl}/v1/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}` },
      body: JSON.stringify({ name: 'structured' }),
    });
    agentId = ((await response.json()) as { id: string }).id;
  });

  const weather = { city: 'Oslo', temperature: 4, conditions: ['snow', 'wind'] };
  const sendJson = (message: unknown) => ({ toolCalls: [{ name: 'send_message', arguments: { message } }] });

  it('chat.completions.parse with zodResponseFormat returns the parsed reply', async () => {
    harness.upstream.script(sendJson(weather));
    const completion = await client.chat.completions.parse({
      model: agentId,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      response_format: zodResponseFormat(Weather, 'weather'),
    });
    expect(completion.choices[0]?.message.parsed).toEqual(weather);
    // zod's strict schema reached the upstream as the type of send_message's `message`.
    const sendTool = harness.upstream.requests[0]!.body.tools?.find((tool) => tool.function.name === 'send_message');
    expect(sendTool?.function).toMatchObject({
      strict: true,
      parameters: { properties: { message: { required: ['city', 'temperature', 'conditions'] } } },
    });
  });

  it('parse() gets the repaired reply after one invalid attempt', async () => {
    harness.upstream.script(sendJson({ city: 'Oslo', temperature: 'cold' }), sendJson(weather));
    const completion = await client.chat.completions.parse({
      model: agentId,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      response_format: zodResponseFormat(Weather, 'weather'),
    });
    expect(completion.choices[0]?.message.parsed).toEqual(weather);
    expect(harness.upstream.requests).toHaveLength(2);
  });

  it('parse() rejects with a 502 APIError when the repair fails too', async () => {
    harness.upstream.script(sendJson({ city: 'Oslo' }), sendMessage('It is cold.'));
    const failure = await client.chat.completions
      .parse({
        model: agentId,
        messages: [{ role: 'user', content: 'Weather in Oslo?' }],
        response_format: zodResponseFormat(Weather, 'weather'),
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((failure as Error).message).toMatch(/did not match the JSON Schema "weather"/);
  });

  it('chat.completions.stream with a response_format streams the JSON and parses the final message', async () => {
    harness.upstream.script(sendJson(weather));
    const stream = client.chat.completions.stream({
      model: agentId,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      response_format: zodResponseFormat(Weather, 'weather'),
    });
    let text = '';
    stream.on('content.delta', ({ delta }) => {
      text += delta;
    });
    const final = await stream.finalChatCompletion();
    expect(JSON.parse(text)).toEqual(weather);
    expect(final.choices[0]?.message.parsed).toEqual(weather);
  });

  it('stream() surfaces a refusal as message.refusal', async () => {
    harness.upstream.script({ refusal: 'I will not do that.' });
    const stream = client.chat.completions.stream({
      model: agentId,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      response_format: zodResponseFormat(Weather, 'weather'),
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.refusal).toBe('I will not do that.');
    expect(final.choices[0]?.message.parsed).toBeNull();
  });
});
