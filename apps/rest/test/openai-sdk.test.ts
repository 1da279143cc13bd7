import { sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

describe('the official openai SDK against memgate', () => {
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
      body: JSON.stringify({ name: 'sdk' }),
    });
    agentId = ((await response.json()) as { id: string }).id;
  });

  it('create() returns the agent reply and forwards sampling parameters upstream', async () => {
    harness.upstream.script(sendMessage('Hi from the agent.'));
    const completion = await client.chat.completions.create({
      model: 'mock-model',
      user: agentId,
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      stop: ['\n\n\n'],
      max_completion_tokens: 64,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      logit_bias: { '50256': -100 },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe('Hi from the agent.');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    const sent = harness.upstream.requests[0]!.body;
    expect(sent).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      stop: ['\n\n\n'],
      max_completion_tokens: 64,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      logit_bias: { '50256': -100 },
    });
    // The per-turn system message reaches the upstream but is not stored.
    expect(sent.messages.some((message) => message.content === 'Be brief.')).toBe(true);
    const stored = await fetch(`${harness.baseUrl}/v1/agents/${agentId}/messages`, {
      headers: { authorization: `Bearer ${harness.apiKey}` },
    });
    const { data } = (await stored.json()) as { data: { role: string; content: string | null }[] };
    expect(data.some((message) => message.content === 'Be brief.')).toBe(false);
  });

  it('streams with create({ stream: true })', async () => {
    harness.upstream.script(sendMessage('Streaming works fine.', { chunkSize: 4 }));
    const stream = await client.chat.completions.create({
      model: agentId,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Go' }],
    });
    let text = '';
    let usage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage += chunk.usage?.total_tokens ?? 0;
    }
    expect(text).toBe('Streaming works fine.');
    expect(usage).toBeGreaterThan(0);
  });

  it('works with the .stream() helper and its finalChatCompletion()', async () => {
    harness.upstream.script(sendMessage('Helper stream.', { chunkSize: 3 }));
    const deltas: string[] = [];
    const runner = client.chat.completions
      .stream({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Go' }] })
      .on('content', (delta) => deltas.push(delta));
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Helper stream.');
    expect(deltas.length).toBeGreaterThan(1);
  });

  it('runs client tool calls: tool_calls out, tool results in, the turn continues', async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: 'function',
        function: { name: 'lookup_order', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
      },
    ];
    harness.upstream.script({ toolCalls: [{ name: 'lookup_order', arguments: { id: 'A17' } }] });
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Where is A17?' }];
    const first = await client.chat.completions.create({ model: 'mock-model', user: agentId, tools, messages });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(JSON.parse(call.function.arguments)).toEqual({ id: 'A17' });

    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'shipped' });
    harness.upstream.script(sendMessage('Order A17 has shipped.'));
    const second = await client.chat.completions.create({ model: 'mock-model', user: agentId, tools, messages });
    expect(second.choices[0]?.message.content).toBe('Order A17 has shipped.');
  });

  it('runs client tool calls while streaming', async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
    ];
    harness.upstream.script({ toolCalls: [{ name: 'now', arguments: {} }] });
    const runner = client.chat.completions.stream({
      model: 'mock-model',
      user: agentId,
      tools,
      messages: [{ role: 'user', content: 'Time?' }],
    });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'now' } });
  });

  it('surfaces memgate errors as the SDK error classes', async () => {
    const notFound = await client.chat.completions
      .create({ model: 'mock-model', user: 'agent-missing', messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(OpenAI.NotFoundError);
    const invalid = await client.chat.completions
      .create({ model: 'mock-model', user: agentId, n: 2, messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect((invalid as InstanceType<typeof OpenAI.APIError>).message).toMatch(/n > 1/);
  });
});
