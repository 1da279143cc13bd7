import { echoResponder, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { readSse } from './rest-client.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

describe('turns over REST', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness({ timeoutMs: 1500 });
    call = api(harness.baseUrl, harness.apiKey);
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.upstream.reset();
    harness.upstream.setDefault(echoResponder);
    agentId = (await call('POST', '/v1/agents', {})).body['id'] as string;
  });

  const chat = (content: string, extra: Record<string, unknown> = {}) =>
    call('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content }],
      ...extra,
    });

  it('serialises 20 concurrent turns on one agent, each reply after its own message', async () => {
    harness.upstream.setDefault(async (request) => ({ ...(await echoResponder(request)), delayMs: 5 }));
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => chat(`message ${index}`)));
    for (const [index, result] of results.entries()) {
      expect(result.status).toBe(200);
      expect((result.body['choices'] as { message: { content: string } }[])[0]?.message.content).toBe(
        `Echo: message ${index}`,
      );
    }
    const stored = (await call('GET', `/v1/agents/${agentId}/messages?limit=1000`)).body.data as {
      role: string;
      content: string | null;
      tool_calls?: { function: { arguments: string } }[];
    }[];
    // Each turn stores: user, assistant(send_message), tool result — never interleaved with another turn.
    expect(stored).toHaveLength(60);
    const order: string[] = [];
    for (let index = 0; index < stored.length; index += 3) {
      const [userMessage, assistant, tool] = [stored[index]!, stored[index + 1]!, stored[index + 2]!];
      expect(userMessage.role).toBe('user');
      expect(assistant.role).toBe('assistant');
      expect(tool.role).toBe('tool');
      const reply = JSON.parse(assistant.tool_calls![0]!.function.arguments) as { message: string };
      expect(reply.message).toBe(`Echo: ${userMessage.content}`);
      order.push(userMessage.content!);
    }
    expect(new Set(order).size).toBe(20);
    // The upstream saw the turns in the stored order: one at a time, in arrival order.
    const upstreamOrder = harness.upstream.requests.map((request) => request.body.messages.at(-1)?.content);
    expect(upstreamOrder).toEqual(order);
  });

  it('relays the reply while the upstream is still generating', async () => {
    // The upstream sends a few chunks, then stalls: anything the client reads came before the end.
    harness.upstream.script({
      ...sendMessage('A reply that streams out slowly, piece by piece.', { chunkSize: 4 }),
      hangAfterChunks: 8,
    });
    const controller = new AbortController();
    const response = await fetch(`${harness.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${harness.apiKey}` },
      body: JSON.stringify({
        model: 'mock-model',
        user: agentId,
        stream: true,
        messages: [{ role: 'user', content: 'Go' }],
      }),
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let contentFrames = 0;
    while (contentFrames < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      contentFrames = (text.match(/"content":"[^"]+"/g) ?? []).length;
    }
    expect(contentFrames).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain('[DONE]');
    controller.abort();
    // Leaving mid-stream cancels the upstream call.
    await harness.upstream.waitForAbort();
  });

  it('aborts the upstream call when a non-streaming client disconnects, and stays usable', async () => {
    harness.upstream.script({ hang: true });
    const controller = new AbortController();
    const pending = fetch(`${harness.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${harness.apiKey}` },
      body: JSON.stringify({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'wait' }] }),
    }).catch(() => null);
    while (harness.upstream.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await pending;
    await harness.upstream.waitForAbort();
    const next = await chat('still there?');
    expect(next.status).toBe(200);
  });

  it('answers 504 when the upstream times out, and 429 with Retry-After when it rate-limits', async () => {
    harness.upstream.script({ hang: true });
    const timedOut = await chat('slow');
    expect(timedOut.status).toBe(504);
    expect(timedOut.body['error']).toMatchObject({ type: 'upstream_timeout' });

    harness.upstream.script({ error: { status: 429, headers: { 'retry-after': '7' } } });
    const limited = await chat('busy');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
  });

  it('sends an error after the stream started in-band, then [DONE]', async () => {
    // The first step sends visible text and asks for a heartbeat; the second upstream call fails.
    harness.upstream.script(
      {
        toolCalls: [
          { name: 'send_message', arguments: { message: 'First part.' } },
          { name: 'core_memory_append', arguments: { label: 'human', content: 'x', request_heartbeat: true } },
        ],
      },
      { error: { status: 500 } },
    );
    const response = await fetch(`${harness.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}` },
      body: JSON.stringify({
        model: 'mock-model',
        user: agentId,
        stream: true,
        messages: [{ role: 'user', content: 'Go' }],
      }),
    });
    expect(response.status).toBe(200);
    const { events, done } = await readSse(response);
    expect(done).toBe(true);
    const chunks = events.slice(0, -1) as { choices: { delta: { content?: string } }[] }[];
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('First part.');
    expect(events.at(-1)).toMatchObject({ error: { type: 'upstream_error', status: 502 } });
    // What was stored before the failure stays consistent: the memory edit and its result are kept.
    const memory = (await call('GET', `/v1/agents/${agentId}/memory`)).body['blocks'] as {
      label: string;
      value: string;
    }[];
    expect(memory.find((block) => block.label === 'human')?.value).toBe('x');
  });

  it('reports Server-Timing with upstream and total time', async () => {
    const response = await chat('timing');
    expect(response.headers.get('server-timing')).toMatch(/upstream;dur=[\d.]+.*total;dur=[\d.]+/);
  });

  it('cancels pending client tool calls when the client sends a new message instead', async () => {
    const tools = [{ type: 'function', function: { name: 'ask_user' } }];
    harness.upstream.script({ toolCalls: [{ name: 'ask_user', arguments: {}, id: 'call_pending1' }] });
    const first = await chat('Ask me', { tools });
    expect((first.body['choices'] as { finish_reason: string }[])[0]?.finish_reason).toBe('tool_calls');
    const second = await chat('Never mind');
    expect(second.status).toBe(200);
    const lastRequest = harness.upstream.requests.at(-1)!.body.messages;
    const cancelled = lastRequest.find(
      (message) => message.role === 'tool' && message.tool_call_id === 'call_pending1',
    );
    expect(String(cancelled?.content)).toMatch(/new message instead of a result/);
  });
});
