import { afterEach, describe, expect, it } from 'vitest';
import { embedText, type MockUpstream, startMockUpstream } from './index.ts';

let upstream: MockUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function start(options?: Parameters<typeof startMockUpstream>[0]): Promise<MockUpstream> {
  upstream = await startMockUpstream(options);
  return upstream;
}

function post(base: string, body: unknown, path = '/chat/completions', headers: Record<string, string> = {}) {
  return fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function errorOf(response: Response): Promise<Record<string, unknown>> {
  return ((await response.json()) as { error: Record<string, unknown> }).error;
}

/** Reads an SSE body and returns each `data:` payload with the time it arrived. */
async function readFrames(response: Response): Promise<Array<{ data: string; at: number }>> {
  const frames: Array<{ data: string; at: number }> = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += decoder.decode(read.value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      frames.push({ data: buffer.slice(0, end).replace(/^data: /, ''), at: Date.now() });
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
  return frames;
}

describe('mock upstream wire format', () => {
  it('streams tool-call deltas exactly as OpenAI does, frame by frame as generated', async () => {
    const { url, script } = await start();
    script({ toolCalls: [{ name: 'f', arguments: '{"a":"0123456789"}', id: 'call_fixed' }], chunkDelayMs: 20 });
    const response = await post(url, { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = await readFrames(response);
    expect(frames.at(-1)!.data).toBe('[DONE]');
    const deltas = frames.slice(0, -1).map((frame) => JSON.parse(frame.data).choices[0]);
    expect(deltas[0].delta).toEqual({ role: 'assistant', content: null });
    expect(deltas[1].delta.tool_calls).toEqual([
      { index: 0, id: 'call_fixed', type: 'function', function: { name: 'f', arguments: '' } },
    ]);
    const pieces = deltas.slice(2, -1).map((choice) => choice.delta.tool_calls[0]);
    expect(pieces.map((piece) => piece.function.arguments)).toEqual(['{"a":"01', '23456789', '"}']);
    expect(pieces.every((piece) => piece.index === 0 && piece.id === undefined)).toBe(true);
    expect(deltas.at(-1)).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    // Frames arrive spread over time, not in one burst at the end.
    expect(frames.at(-1)!.at - frames[0]!.at).toBeGreaterThanOrEqual(80);
  });

  it('stalls after hangAfterChunks frames and waits delayMs before headers', async () => {
    const { url, script } = await start();
    script({ content: 'abcdefghijklmnop', chunkSize: 4, hangAfterChunks: 2 }, { content: 'late', delayMs: 150 });
    const controller = new AbortController();
    const stalled = await fetch(url + '/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true }),
      signal: controller.signal,
    });
    const reader = stalled.body!.getReader();
    let text = '';
    while ((text.match(/\n\n/g) ?? []).length < 2) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"abcd"');
    controller.abort();
    await upstream!.waitForAbort();
    const started = Date.now();
    await post(url, { model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers bad input, unknown routes, wrong keys and broken responders with OpenAI error shapes', async () => {
    const { url, setDefault, requests } = await start({ apiKey: 'secret' });
    const auth = { authorization: 'Bearer secret' };
    const unauthorized = await post(url, { messages: [] });
    expect(unauthorized.status).toBe(401);
    expect(await errorOf(unauthorized)).toMatchObject({ code: 'invalid_api_key' });
    const invalid = await post(url, { model: 'm' }, '/chat/completions', auth);
    expect(invalid.status).toBe(400);
    expect(await errorOf(invalid)).toMatchObject({ type: 'invalid_request_error', param: null });
    expect((await post(url, {}, '/nowhere', auth)).status).toBe(404);
    setDefault(() => {
      throw new Error('oops');
    });
    const broken = await post(url, { messages: [{ role: 'user', content: 'x' }] }, '/chat/completions', auth);
    expect(broken.status).toBe(500);
    expect((await errorOf(broken))['message']).toContain('oops');
    expect(requests).toHaveLength(1);
  });

  it('closes promptly with a hanging request and does not count that as a client abort', async () => {
    const mock = await start();
    mock.script({ hang: true });
    const pending = post(mock.url, { messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    await expect.poll(() => mock.activeRequests()).toBe(1);
    expect(mock.openConnections()).toBe(1);
    await mock.close();
    upstream = undefined;
    expect(await pending).toBeInstanceOf(Error);
    expect(mock.abortedRequests).toHaveLength(0);
  });

  it('embeds deterministically with the raw float encoding and configured size', async () => {
    const { url, embeddingRequests } = await start({ embeddingDimensions: 32 });
    const response = await post(url, { model: 'e', input: 'Hello world' }, '/embeddings');
    const body = (await response.json()) as { data: Array<{ embedding: number[] }>; usage: unknown };
    expect(body.data[0]!.embedding).toEqual(embedText('Hello world', 32));
    expect(body.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(embeddingRequests[0]!.body.input).toBe('Hello world');
    expect(embedText('', 4)).toEqual([1, 0, 0, 0]);
  });
});
