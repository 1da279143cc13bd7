import OpenAI, { APIError } from 'openai';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { countTokens, echoResponder, sendMessage, startMockUpstream } from './index.ts';

const upstream = await startMockUpstream();
// maxRetries 0: the SDK retries 5xx/429 twice by default, which would consume later scripted responses.
const client = new OpenAI({ baseURL: upstream.url, apiKey: 'x', maxRetries: 0 });
const user = (content: string) => [{ role: 'user' as const, content }];

afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

describe('mock upstream via the openai SDK', () => {
  it('answers a non-streaming tool call and records the request', async () => {
    upstream.script(sendMessage('Hello'));
    const tools = [{ type: 'function' as const, function: { name: 'send_message', parameters: {} } }];
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: user('hi there'),
      tools,
      temperature: 0.3,
      seed: 7,
      stop: ['END'],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(Number.isInteger(completion.created)).toBe(true);
    expect(completion.model).toBe('gpt-4o-mini');
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls![0]!;
    if (call.type !== 'function') throw new Error('expected a function tool call');
    expect(call.id).toMatch(/^call_/);
    expect(JSON.parse(call.function.arguments)).toEqual({
      message: 'Hello',
      request_heartbeat: false,
    });
    // prompt: 'hi there' → 8 chars / 4; completion: name + JSON arguments, / 4 rounded up.
    const completionTokens = countTokens('send_message' + call.function.arguments);
    expect(completion.usage).toEqual({
      prompt_tokens: 2,
      completion_tokens: completionTokens,
      total_tokens: 2 + completionTokens,
    });
    const recorded = upstream.requests[0]!;
    expect(recorded.body).toMatchObject({ temperature: 0.3, seed: 7, stop: ['END'], tools });
    expect(recorded.headers.authorization).toBe('Bearer x');
  });

  it('streams content in several chunks, role first and finish_reason once', async () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    upstream.script({ content: text, chunkSize: 5 });
    const stream = await client.chat.completions.create({ model: 'm', messages: user('go'), stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const contentDeltas = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').filter(Boolean);
    expect(contentDeltas.length).toBe(Math.ceil(text.length / 5));
    expect(contentDeltas.join('')).toBe(text);
    expect(chunks.filter((chunk) => chunk.choices[0]?.finish_reason).map((c) => c.choices[0]!.finish_reason)).toEqual([
      'stop',
    ]);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  it('streams tool calls that the SDK assembles, with usage last when include_usage is set', async () => {
    const stream = client.chat.completions.stream({
      model: 'm',
      messages: user('stream me'),
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && JSON.parse(call.function.arguments).message).toBe('Echo: stream me');
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.tool_calls).length).toBeGreaterThan(3);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.total_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('surfaces a scripted 500 as an APIError and a 429 with its retry-after header', async () => {
    upstream.script({ error: { status: 500 } }, { error: { status: 429, headers: { 'retry-after': '7' } } });
    const failed = await client.chat.completions.create({ model: 'm', messages: user('x') }).catch((e) => e);
    expect(failed).toBeInstanceOf(APIError);
    expect(failed.status).toBe(500);
    expect(failed.error).toMatchObject({ type: 'server_error' });
    const limited = await client.chat.completions.create({ model: 'm', messages: user('x') }).catch((e) => e);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.error).toMatchObject({ code: 'rate_limit_exceeded' });
  });

  it('sends garbled bodies that the SDK cannot parse, streaming or not', async () => {
    upstream.script({ garbled: true }, { garbled: true });
    await expect(client.chat.completions.create({ model: 'm', messages: user('x') })).rejects.toThrow();
    const consume = async () => {
      const stream = await client.chat.completions.create({ model: 'm', messages: user('x'), stream: true });
      for await (const _chunk of stream);
    };
    await expect(consume()).rejects.toThrow();
  });

  it('detects a client abort mid-stream', async () => {
    upstream.script({ content: 'x'.repeat(200), chunkDelayMs: 50 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'm', messages: user('long'), stream: true },
      { signal: controller.signal },
    );
    let received = 0;
    // The SDK's stream iterator swallows its own AbortError: the loop just ends, it does not throw.
    for await (const _chunk of stream) {
      received++;
      controller.abort();
    }
    expect(received).toBe(1);
    const aborted = await upstream.waitForAbort(2000);
    expect(aborted.body.messages[0]!.content).toBe('long');
    expect(upstream.abortedRequests).toHaveLength(1);
  });

  it('detects a client abort of a hanging request, even one that happened before waiting', async () => {
    upstream.script({ hang: true });
    const controller = new AbortController();
    const pending = client.chat.completions.create({ model: 'm', messages: user('h') }, { signal: controller.signal });
    await expect.poll(() => upstream.activeRequests()).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => upstream.abortedRequests.length).toBe(1);
    await expect(upstream.waitForAbort(1000)).resolves.toBe(upstream.requests[0]);
    expect(upstream.activeRequests()).toBe(0);
  });

  it('returns deterministic, normalised embeddings in both encodings', async () => {
    const input = ['my name is Ada', 'my name is Ada', 'quantum chromodynamics'];
    const first = await client.embeddings.create({ model: 'e', input });
    const again = await client.embeddings.create({ model: 'e', input, encoding_format: 'float' });
    const [ada, ada2, other] = first.data.map((item) => item.embedding);
    expect(ada).toEqual(ada2);
    expect(ada).toHaveLength(128);
    expect(Math.hypot(...ada!)).toBeCloseTo(1, 5);
    expect(again.data[0]!.embedding.map((v) => Math.fround(v))).toEqual(ada);
    const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
    expect(dot(ada!, other!)).toBeLessThan(dot(ada!, ada2!));
    const small = await client.embeddings.create({ model: 'e', input: 'x', dimensions: 16 });
    expect(small.data[0]!.embedding).toHaveLength(16);
  });

  it('lists models and lets the default responder be replaced', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-4o-mini');
    upstream.setDefault(async () => ({ content: 'plain' }));
    const plain = await client.chat.completions.create({ model: 'm', messages: user('x') });
    expect(plain.choices[0]!.message.content).toBe('plain');
    upstream.setDefault(echoResponder);
    const toolTurn = await client.chat.completions.create({
      model: 'm',
      messages: [...user('x'), { role: 'tool', tool_call_id: 'call_1', content: 'done' }],
    });
    const call = toolTurn.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && JSON.parse(call.function.arguments).message).toBe('Tool said: done');
  });
});
