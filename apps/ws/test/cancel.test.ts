import { sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelClient } from './channel-client.ts';
import { startWsHarness, until, type WsHarness } from './ws-harness.ts';

const ask = (agentId: string) => ({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Hi' }] });

describe('chat channel cancellation', () => {
  let harness: WsHarness;
  let client: ChannelClient;
  let agentId: string;

  beforeAll(async () => {
    harness = await startWsHarness();
    client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
  });
  afterAll(async () => {
    await client.close();
    await harness.close();
  });
  beforeEach(async () => {
    harness.upstream.reset();
    agentId = await harness.rest.createAgent({ name: 'cancel' });
  });

  it('cancels a turn waiting on the upstream: done cancelled, upstream call aborted', async () => {
    harness.upstream.script({ hang: true });
    client.create('c1', ask(agentId));
    await until(() => harness.upstream.activeRequests() === 1);
    client.send({ type: 'chat.completion.cancel', request_id: 'c1' });
    const { chunks, terminal } = await client.outcome('c1');
    expect(terminal).toEqual({
      type: 'chat.completion.done',
      request_id: 'c1',
      trace_id: expect.any(String),
      status: 'cancelled',
      completion: null,
    });
    expect(chunks).toEqual([]);
    await harness.upstream.waitForAbort();
  });

  it('cancels a turn in the middle of its stream and leaves the agent usable', async () => {
    harness.upstream.script(sendMessage('A long answer that never ends', { chunkSize: 3, hangAfterChunks: 12 }));
    client.create('c2', ask(agentId));
    await client.next(
      (frame) =>
        frame.type === 'chat.completion.chunk' && frame.request_id === 'c2' && !!frame.chunk.choices[0]?.delta.content,
    );
    client.send({ type: 'chat.completion.cancel', request_id: 'c2' });
    const { chunks, terminal } = await client.outcome('c2');
    expect(terminal).toMatchObject({ status: 'cancelled', completion: null });
    expect(chunks.length).toBeGreaterThan(0);
    await harness.upstream.waitForAbort();

    harness.upstream.script(sendMessage('Still here.'));
    client.create('c3', ask(agentId));
    const next = await client.outcome('c3');
    expect(next.terminal).toMatchObject({ status: 'completed' });
  });

  it('answers a cancel for no request in flight with a 404 error event', async () => {
    client.send({ type: 'chat.completion.cancel', request_id: 'nothing' });
    const error = await client.next((frame) => frame.type === 'error' && frame.request_id === 'nothing');
    expect(error).toMatchObject({ error: { status: 404, code: 'unknown_request_id' } });
  });

  it('cancels the turns of a client that disconnects', async () => {
    const leaving = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    harness.upstream.script({ hang: true });
    leaving.create('gone', ask(agentId));
    await until(() => harness.upstream.activeRequests() === 1);
    leaving.socket.terminate();
    await harness.upstream.waitForAbort();
  });
});
