import type { CompletionDoneFrame } from '@memgate/core';
import { type RecordedRequest, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelClient } from './channel-client.ts';
import { gate, startWsHarness, until, type WsHarness } from './ws-harness.ts';

const ask = (agentId: string, content: string) => ({
  model: 'mock-model',
  user: agentId,
  messages: [{ role: 'user', content }],
});
const lastUserText = (request: RecordedRequest) =>
  String(request.body.messages.findLast((message) => message.role === 'user')?.content ?? '');
const doneOrder = (client: ChannelClient) =>
  client.frames.flatMap((frame) => (frame.type === 'chat.completion.done' ? [frame.request_id] : []));

describe('chat channel multiplexing', () => {
  let harness: WsHarness;
  let client: ChannelClient;
  let agentA: string;
  let agentB: string;

  beforeAll(async () => {
    harness = await startWsHarness({ maxInFlight: 3 });
    client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
  });
  afterAll(async () => {
    await client.close();
    await harness.close();
  });
  beforeEach(async () => {
    harness.upstream.reset();
    agentA = await harness.rest.createAgent({ name: 'a' });
    agentB = await harness.rest.createAgent({ name: 'b' });
  });

  it('finishes a fast turn on agent B while a slow one on agent A is still running', async () => {
    const slow = gate();
    // The slow reply waits for the test to let it go: the order cannot depend on the clock.
    harness.upstream.setDefault(async (request) => {
      if (lastUserText(request) !== 'slow') return sendMessage('Fast reply.');
      await slow.promise;
      return sendMessage('Slow reply, in many small pieces.', { chunkSize: 4 });
    });
    client.create('slow-a', ask(agentA, 'slow'));
    await until(() => harness.upstream.requests.length === 1);
    client.create('fast-b', ask(agentB, 'fast'));
    const fast = await client.outcome('fast-b');
    expect(fast.terminal).toMatchObject({ status: 'completed' });
    expect(doneOrder(client)).not.toContain('slow-a');
    slow.open();
    const slowOutcome = await client.outcome('slow-a');
    const done = slowOutcome.terminal as CompletionDoneFrame;
    expect(done.completion?.choices[0]?.message.content).toBe('Slow reply, in many small pieces.');
    expect(doneOrder(client).indexOf('fast-b')).toBeLessThan(doneOrder(client).indexOf('slow-a'));
  });

  it('queues turns on one agent in arrival order', async () => {
    const first = gate();
    harness.upstream.setDefault(async (request) => {
      if (lastUserText(request) === 'first') await first.promise;
      return sendMessage(`Re: ${lastUserText(request)}`);
    });
    client.create('q1', ask(agentA, 'first'));
    await until(() => harness.upstream.requests.length === 1);
    client.create('q2', ask(agentA, 'second'));
    first.open();
    const second = await client.outcome('q2');
    expect(second.terminal).toMatchObject({ status: 'completed' });
    expect(doneOrder(client).indexOf('q1')).toBeLessThan(doneOrder(client).indexOf('q2'));
    expect(harness.upstream.requests.map(lastUserText)).toEqual(['first', 'second']);
  });

  it('refuses a request_id that is already in flight, and frees it once answered', async () => {
    const held = gate();
    harness.upstream.setDefault(async () => {
      await held.promise;
      return sendMessage('Done.');
    });
    client.create('dup', ask(agentA, 'one'));
    await until(() => harness.upstream.requests.length === 1);
    client.send({ type: 'chat.completion.create', request_id: 'dup', request: ask(agentB, 'two') });
    const refused = await client.next((frame) => frame.type === 'error' && frame.request_id === 'dup');
    expect(refused).toMatchObject({ error: { status: 409, code: 'duplicate_request_id' } });
    held.open();
    await client.next((frame) => frame.type === 'chat.completion.done' && frame.request_id === 'dup');
    const framesBefore = client.frames.length;
    client.create('dup', ask(agentB, 'three'));
    await client.next(
      (frame) =>
        frame.type === 'chat.completion.done' &&
        frame.request_id === 'dup' &&
        client.frames.indexOf(frame) >= framesBefore,
    );
    expect(harness.upstream.requests).toHaveLength(2);
  });

  it('bounds the requests in flight per connection with 429', async () => {
    const held = gate();
    harness.upstream.setDefault(async () => {
      await held.promise;
      return sendMessage('Done.');
    });
    const agentC = await harness.rest.createAgent({ name: 'c' });
    for (const [index, agent] of [agentA, agentB, agentC].entries()) client.create(`bound-${index}`, ask(agent, 'x'));
    client.create('bound-3', ask(agentA, 'x'));
    const { terminal } = await client.outcome('bound-3');
    expect(terminal).toMatchObject({ type: 'error', error: { status: 429, code: 'too_many_in_flight' } });
    held.open();
    for (const index of [0, 1, 2])
      expect((await client.outcome(`bound-${index}`)).terminal).toMatchObject({ status: 'completed' });
  });
});
