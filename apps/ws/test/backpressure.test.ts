import type { CompletionDoneFrame } from '@memgate/core';
import { sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelClient } from './channel-client.ts';
import { startWsHarness, until, type WsHarness } from './ws-harness.ts';

const HIGH_WATER_MARK = 64 * 1024;
const CHUNK_SIZE = 8 * 1024;
/** Far more than the kernel's socket buffers on both ends can absorb, so the server must hold back. */
const REPLY = Array.from({ length: 2_000_000 }, (_, index) => `w${index % 1000}`).join(' ');

describe('chat channel backpressure', () => {
  let harness: WsHarness;

  beforeAll(async () => {
    harness = await startWsHarness({ highWaterMarkBytes: HIGH_WATER_MARK, keepaliveIntervalMs: 600_000 });
  });
  afterAll(() => harness.close());

  it('pauses the stream of a client that does not read, and delivers everything once it does', async () => {
    const agentId = await harness.rest.createAgent({ name: 'slow reader' });
    harness.upstream.script(sendMessage(REPLY, { chunkSize: CHUNK_SIZE }));
    const client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    client.socket.pause();
    client.create('long', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'Tell me everything' }],
    });

    const bound = HIGH_WATER_MARK + 2 * CHUNK_SIZE + 4096;
    await until(
      () => harness.channel.stats().backpressurePauses > 0 || harness.channel.stats().maxBufferedBytes > bound,
    );
    // Let the server try for a while: a stream that did not pause would pile the reply up in memory.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(harness.channel.stats().maxBufferedBytes).toBeLessThan(bound);
    expect(harness.channel.stats().backpressurePauses).toBeGreaterThan(0);

    client.socket.resume();
    const { chunks, terminal } = await client.outcome('long');
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text.length).toBe(REPLY.length);
    expect(text === REPLY).toBe(true);
    const done = terminal as CompletionDoneFrame;
    expect(done.completion?.choices[0]?.message.content === REPLY).toBe(true);
    // The done frame repeats the whole reply; it too waited for the reader to catch up first.
    const doneBytes = Buffer.byteLength(JSON.stringify(done));
    expect(harness.channel.stats().maxBufferedBytes).toBeLessThan(HIGH_WATER_MARK + doneBytes + 4096);
    await client.close();
  });
});

describe('chat channel stall timeout (MEMGATE_STREAM_STALL_MS)', () => {
  let harness: WsHarness;

  beforeAll(async () => {
    harness = await startWsHarness({ highWaterMarkBytes: HIGH_WATER_MARK, keepaliveIntervalMs: 600_000, stallMs: 300 });
  });
  afterAll(() => harness.close());

  it('cuts off a client whose paused stream does not move, and frees its agent', async () => {
    const agentId = await harness.rest.createAgent({ name: 'gone quiet' });
    harness.upstream.script(sendMessage(REPLY, { chunkSize: CHUNK_SIZE }));
    const client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    client.socket.pause();
    const ask = { model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Tell me everything' }] };
    client.create('long', ask);
    // Pings are far off: only the stall timeout can end this connection.
    await until(() => harness.channel.stats().connections === 0);
    client.socket.resume();
    // Cut, not closed: a client that reads nothing would not read a close frame either.
    expect((await client.closed).code).toBe(1006);

    harness.upstream.script(sendMessage('Next turn.'));
    const next = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    next.create('next', ask);
    const done = (await next.outcome('next')).terminal as CompletionDoneFrame;
    expect(done.completion?.choices[0]?.message.content).toBe('Next turn.');
    await next.close();
  });
});
