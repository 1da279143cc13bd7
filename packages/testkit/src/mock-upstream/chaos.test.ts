import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CHAOS_LEAKED_ADDRESS,
  refusedUpstreamUrl,
  sendMessage,
  startMockUpstream,
  type UpstreamFault,
} from './index.ts';

const upstream = await startMockUpstream();
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

const REPLY = 'A reply long enough to arrive in several pieces before the upstream breaks off.';

function ask(fault: UpstreamFault, stream = false, signal?: AbortSignal): Promise<Response> {
  upstream.script({ ...sendMessage(REPLY), fault });
  return fetch(`${upstream.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-model', stream, messages: [{ role: 'user', content: 'hi' }] }),
    signal,
  });
}

/** A promise and the function that resolves it: the cue of a held fault. */
function cueOf(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** The body up to where it breaks: the text received and the error that ended it (null: it ended cleanly). */
async function readUntilBroken(response: Response): Promise<{ text: string; error: unknown }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: null };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

describe('the chaos upstream', () => {
  it('answers HTML pages that name an internal address, as a misconfigured proxy does', async () => {
    for (const [fault, status] of [
      ['html-200', 200],
      ['html-502', 502],
    ] as const) {
      const response = await ask(fault);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('text/html');
      expect(await response.text()).toContain(CHAOS_LEAKED_ADDRESS);
    }
  });

  it('answers truncated JSON and empty choices, plain and streaming', async () => {
    const truncated = await (await ask('truncated-json')).text();
    expect(() => JSON.parse(truncated)).toThrow(SyntaxError);
    expect(truncated.startsWith('{"id":"chatcmpl-')).toBe(true);
    expect(JSON.parse(await (await ask('empty-choices')).text())).toMatchObject({ choices: [] });

    const cutStream = await (await ask('truncated-json', true)).text();
    expect(cutStream).toContain('"cont\n\n');
    expect(cutStream).not.toContain('[DONE]');
    const emptyStream = await (await ask('empty-choices', true)).text();
    expect(emptyStream).toContain('"choices":[]');
    expect(emptyStream).not.toContain('"delta"');
    expect(emptyStream.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('breaks off mid-body and mid-stream with a reset or a close, after part of the answer', async () => {
    for (const fault of ['reset', 'close'] as const) {
      const plain = await readUntilBroken(await ask(fault));
      expect(plain.error).toBeInstanceOf(Error);
      expect(plain.text.startsWith('{"id":"chatcmpl-')).toBe(true);
      const streamed = await readUntilBroken(await ask(fault, true));
      expect(streamed.error).toBeInstanceOf(Error);
      expect(streamed.text).toContain('"role":"assistant"');
      expect(streamed.text).not.toContain('[DONE]');
    }
    // Broken by the mock, not left by the client.
    expect(upstream.abortedRequests).toHaveLength(0);
  });

  it('holds a cued break until its cue: the partial stream first, then the reset', async () => {
    const cue = cueOf();
    upstream.script({ ...sendMessage(REPLY), fault: 'reset', faultCue: cue.promise });
    const response = await fetch(`${upstream.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"arguments"')) {
      const next = await reader.read();
      if (next.done) throw new Error('the stream ended before its cue');
      text += decoder.decode(next.value, { stream: true });
    }
    // Nothing more until the cue: the stream holds.
    const pending = reader.read();
    const quiet = new Promise<'quiet'>((resolve) => setTimeout(() => resolve('quiet'), 200));
    expect(
      await Promise.race([
        pending.then(
          () => 'read',
          () => 'broken',
        ),
        quiet,
      ]),
    ).toBe('quiet');
    cue.resolve();
    await expect(pending).rejects.toThrow();
    expect(upstream.abortedRequests).toHaveLength(0);
  });

  it('stalls mid-stream until the client leaves', async () => {
    const controller = new AbortController();
    const reader = (await ask('stall', true, controller.signal)).body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Read until the stream goes quiet; a stream that ends instead of stalling fails the test.
    for (;;) {
      const quiet = new Promise<'quiet'>((resolve) => setTimeout(() => resolve('quiet'), 300));
      const next = await Promise.race([reader.read(), quiet]);
      if (next === 'quiet') break;
      if (next.done) throw new Error('the stream ended instead of stalling');
      text += decoder.decode(next.value, { stream: true });
    }
    expect(text).toContain('"role":"assistant"');
    expect(text).not.toContain('finish_reason":"');
    controller.abort();
    expect((await upstream.waitForAbort()).path).toBe('/v1/chat/completions');
  });

  it('gives a URL whose connections are refused', async () => {
    const url = await refusedUpstreamUrl();
    const error = await fetch(`${url}/models`).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });
});
