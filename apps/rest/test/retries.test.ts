import { sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

interface StoredMessage {
  role: string;
  content: string | null;
  tool_call_id?: string;
}

describe('retrying a request whose turn failed', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness();
    call = api(harness.baseUrl, harness.apiKey);
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.upstream.reset();
    agentId = (await call('POST', '/v1/agents', {})).body['id'] as string;
  });

  const history = async () =>
    ((await call('GET', `/v1/agents/${agentId}/messages?limit=1000`)).body.data as StoredMessage[]).map(
      (message) => `${message.role}:${message.content ?? ''}`,
    );

  it('does not store the input twice when the openai SDK retries a 502 on its own', async () => {
    // The SDK's default: two retries on 5xx. The first attempt fails upstream, the retry succeeds.
    const client = new OpenAI({ baseURL: `${harness.baseUrl}/v1`, apiKey: harness.apiKey, maxRetries: 2 });
    harness.upstream.script({ error: { status: 500 } }, sendMessage('Second time lucky.'));
    const completion = await client.chat.completions.create({
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'Hello once' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Second time lucky.');
    const stored = await history();
    expect(stored.filter((entry) => entry === 'user:Hello once')).toHaveLength(1);
    // The upstream saw the message once in its prompt, not twice.
    const prompt = harness.upstream.requests.at(-1)!.body.messages;
    expect(prompt.filter((message) => message.content === 'Hello once')).toHaveLength(1);
  });

  it('does not store a retried tool result twice and still accepts it', async () => {
    const tools = [{ type: 'function', function: { name: 'lookup' } }];
    harness.upstream.script({ toolCalls: [{ name: 'lookup', arguments: {}, id: 'call_retry1' }] });
    const first = await call('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      tools,
      messages: [{ role: 'user', content: 'Look it up' }],
    });
    expect((first.body['choices'] as { finish_reason: string }[])[0]?.finish_reason).toBe('tool_calls');

    const answer = {
      model: 'mock-model',
      user: agentId,
      tools,
      messages: [
        { role: 'user', content: 'Look it up' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_retry1', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_retry1', content: 'found it' },
      ],
    };
    harness.upstream.script({ error: { status: 503 } });
    expect((await call('POST', '/v1/chat/completions', answer)).status).toBe(502);
    harness.upstream.script(sendMessage('It was found.'));
    const retried = await call('POST', '/v1/chat/completions', answer);
    expect(retried.status).toBe(200);
    expect((await history()).filter((entry) => entry === 'tool:found it')).toHaveLength(1);
  });

  it('stores a different message after a failure as new input', async () => {
    harness.upstream.script({ error: { status: 500 } }, sendMessage('Answering both.'));
    const chat = (content: string) =>
      call('POST', '/v1/chat/completions', {
        model: 'mock-model',
        user: agentId,
        messages: [{ role: 'user', content }],
      });
    expect((await chat('First try')).status).toBe(502);
    expect((await chat('Something else')).status).toBe(200);
    const stored = await history();
    expect(stored.slice(0, 2)).toEqual(['user:First try', 'user:Something else']);
  });

  it('stores the same message again once the agent has answered it', async () => {
    harness.upstream.script(sendMessage('One.'), sendMessage('Two.'));
    const chat = () =>
      call('POST', '/v1/chat/completions', {
        model: 'mock-model',
        user: agentId,
        messages: [{ role: 'user', content: 'Again' }],
      });
    expect((await chat()).status).toBe(200);
    expect((await chat()).status).toBe(200);
    expect((await history()).filter((entry) => entry === 'user:Again')).toHaveLength(2);
  });

  it('recognises a retried message on an agent that already has a conversation', async () => {
    // The failed attempt's input sits at the end of a window that holds earlier turns, not alone in it.
    harness.upstream.script(sendMessage('Earlier.'), { error: { status: 500 } }, sendMessage('Now.'));
    const chat = (content: string) =>
      call('POST', '/v1/chat/completions', {
        model: 'mock-model',
        user: agentId,
        messages: [{ role: 'user', content }],
      });
    expect((await chat('Before')).status).toBe(200);
    expect((await chat('Retried')).status).toBe(502);
    expect((await chat('Retried')).status).toBe(200);
    const stored = await history();
    expect(stored.filter((entry) => entry === 'user:Retried')).toHaveLength(1);
    expect(stored.filter((entry) => entry === 'user:Before')).toHaveLength(1);
  });
});
