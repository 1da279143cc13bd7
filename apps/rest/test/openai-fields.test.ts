import type { ChatCompletionRequestInput } from '@memgate/core';
import { sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

// Fails the type check when the SDK knows a request field that memgate's schema does not: every
// field of today's Chat Completions request must be recognised (honoured, or refused with a reason).
type Unrecognised = Exclude<keyof ChatCompletionCreateParamsBase, keyof ChatCompletionRequestInput>;
const everyFieldRecognised: [Unrecognised] extends [never] ? true : Unrecognised = true;

describe('the Chat Completions request fields of OpenAI', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness();
    call = api(harness.baseUrl, harness.apiKey);
    agentId = (await call('POST', '/v1/agents', { name: 'fields' })).body['id'] as string;
  });
  afterAll(() => harness.close());

  const base = () => ({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Hi' }] });
  const refused: [string, Record<string, unknown>, (string | number)[], RegExp][] = [
    ['audio output', { audio: { voice: 'alloy', format: 'mp3' } }, ['body', 'audio'], /no audio output/],
    ['the audio modality', { modalities: ['text', 'audio'] }, ['body', 'modalities'], /only \["text"\]/],
    ['a prediction', { prediction: { type: 'content', content: 'x' } }, ['body', 'prediction'], /not regenerated/],
    ['web search', { web_search_options: {} }, ['body', 'web_search_options'], /client tool/],
    ['moderation', { moderation: { model: 'omni-moderation-latest' } }, ['body', 'moderation'], /moderation results/],
    [
      'a custom tool',
      { tools: [{ type: 'custom', custom: { name: 'grammar' } }] },
      ['body', 'tools', 0, 'type'],
      /function tools/,
    ],
    [
      'allowed_tools',
      {
        tools: [{ type: 'function', function: { name: 'a' } }],
        tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } },
      },
      ['body', 'tool_choice', 'type'],
      /not honoured yet/,
    ],
    [
      'store: false with client tools',
      { store: false, tools: [{ type: 'function', function: { name: 'a' } }] },
      ['body', 'store'],
      /cannot be combined with client tools/,
    ],
    [
      'metadata with too long a key',
      { metadata: { ['k'.repeat(65)]: 'v' } },
      ['body', 'metadata', 'k'.repeat(65)],
      /1 to 64 characters/,
    ],
    [
      'metadata with too long a value',
      { metadata: { key: 'v'.repeat(513) } },
      ['body', 'metadata', 'key'],
      /at most 512/,
    ],
    ['metadata that is not strings', { metadata: { count: 3 } }, ['body', 'metadata', 'count'], /string/],
    ['an unknown reasoning effort', { reasoning_effort: 'extreme' }, ['body', 'reasoning_effort'], /./],
  ];

  it('recognises every field the openai SDK can send', () => {
    expect(everyFieldRecognised).toBe(true);
  });

  for (const [label, fields, loc, message] of refused) {
    it(`refuses ${label} with 422 at the field, saying why`, async () => {
      const response = await call('POST', '/v1/chat/completions', { ...base(), ...fields });
      expect(response.status).toBe(422);
      const error = response.body['error'] as { message: string };
      expect(error.message).toMatch(message);
      const detail = response.body['detail'] as { loc: (string | number)[] }[];
      expect(detail[0]?.loc).toEqual(loc);
    });
  }

  it('stored nothing and called no upstream for the refused requests', async () => {
    expect((await call('GET', `/v1/agents/${agentId}/messages`)).body.data).toEqual([]);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('accepts the parameters OpenAI accepts: name on tool messages, store, metadata, modalities text', async () => {
    const client = new OpenAI({ baseURL: `${harness.baseUrl}/v1`, apiKey: harness.apiKey, maxRetries: 0 });
    const weather = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } };
    harness.upstream.script({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const asked = await client.chat.completions.create({
      model: 'mock-model',
      user: agentId,
      tools: [weather],
      store: true,
      metadata: { thread: 't-1' },
      modalities: ['text'],
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    });
    const toolCall = asked.choices[0]?.message.tool_calls?.[0];
    expect(toolCall?.id).toBe('call_1');

    harness.upstream.script(sendMessage('It is sunny in Oslo.'));
    // LangChain always sends the tool's name on tool messages; OpenAI accepts it.
    const toolMessage = { role: 'tool' as const, tool_call_id: 'call_1', name: 'get_weather', content: 'sunny' };
    const answered = await client.chat.completions.create({
      model: 'mock-model',
      user: agentId,
      tools: [weather],
      messages: [{ role: 'user', content: 'Weather in Oslo?' }, asked.choices[0]!.message, toolMessage],
    });
    expect(answered.choices[0]?.message.content).toBe('It is sunny in Oslo.');
    const stored = (await call('GET', `/v1/agents/${agentId}/messages`)).body.data as {
      role: string;
      metadata?: unknown;
    }[];
    expect(stored.filter((message) => message.role === 'user')[0]?.metadata).toEqual({ thread: 't-1' });
  });
});
