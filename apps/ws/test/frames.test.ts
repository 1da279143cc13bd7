import type { AgentEventFrame, ErrorFrame } from '@memgate/core';
import { RestSetup, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelClient } from './channel-client.ts';
import { startWsHarness, until, type WsHarness } from './ws-harness.ts';

describe('chat channel frames', () => {
  let harness: WsHarness;
  let client: ChannelClient;

  beforeAll(async () => {
    harness = await startWsHarness({ maxPayloadBytes: 4096 });
    client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
  });
  afterAll(async () => {
    await client.close();
    await harness.close();
  });

  it('answers malformed, unknown and invalid frames with error events and keeps serving', async () => {
    client.send('{"type": "ping"');
    client.send({ type: 'chat.completion.launch', request_id: 'x1' });
    client.send({ type: 'chat.completion.create', request_id: 'x2', request: 'not an object' });
    client.send([1, 2, 3]);
    await until(() => client.frames.filter((frame) => frame.type === 'error').length === 4);
    const errors = client.frames.filter((frame): frame is ErrorFrame => frame.type === 'error');
    expect(errors.map((frame) => [frame.request_id, frame.error.status, frame.error.code])).toEqual([
      [undefined, 422, 'malformed_frame'],
      ['x1', 422, 'unknown_frame_type'],
      ['x2', 422, 'invalid_request'],
      [undefined, 422, 'invalid_frame'],
    ]);
    client.send({ type: 'ping' });
    await client.next((frame) => frame.type === 'pong');
  });

  it('refuses a create whose REST body is invalid with the status REST answers', async () => {
    const agentId = await harness.rest.createAgent({ name: 'invalid' });
    client.create('bad-body', { model: 'mock-model', user: agentId, messages: [], n: 2 });
    const { terminal } = await client.outcome('bad-body');
    expect(terminal).toMatchObject({
      type: 'error',
      request_id: 'bad-body',
      error: { status: 422, param: 'messages' },
    });
  });

  it('refuses frames nested deeper than the limit with a 422 at the field, storing nothing', async () => {
    const agentId = await harness.rest.createAgent({ name: 'deep' });
    const deep = `${'['.repeat(1000)}${']'.repeat(1000)}`;
    const request = JSON.stringify({
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'd', parameters: { a: '<deep>' } } }],
    }).replace('"<deep>"', deep);
    client.send(`{"type":"chat.completion.create","request_id":"deep-1","request":${request}}`);
    const { terminal } = await client.outcome('deep-1');
    expect(terminal).toMatchObject({
      type: 'error',
      request_id: 'deep-1',
      error: { status: 422, code: 'json_too_deep' },
    });
    // The same field REST names for the same body: the request is the body, one level down.
    const param = (terminal as ErrorFrame).error.param ?? '';
    expect(param).toBe(['tools', 0, 'function', 'parameters', 'a', ...Array<number>(59).fill(0)].join('.'));

    client.send(`{"type":"ping","extra":${deep}}`);
    const error = await client.next(
      (frame) => frame.type === 'error' && frame.error.code === 'json_too_deep' && !frame.request_id,
    );
    expect((error as ErrorFrame).error.param).toMatch(/^extra\.0\.0/);
    client.send({ type: 'ping' });
    await client.next((frame) => frame.type === 'pong');
    expect(await harness.rest.messages(agentId)).toEqual([]);
  });

  it('tells an agent subscriber of writes of its blocks, by its turn or through the API', async () => {
    const agentId = await harness.rest.createAgent({ name: 'block-watched' });
    client.send({ type: 'agent.subscribe', agent_id: agentId });
    await client.next((frame) => frame.type === 'agent.subscribed' && frame.agent_id === agentId);
    harness.upstream.script(
      {
        toolCalls: [
          { name: 'core_memory_append', arguments: { label: 'human', content: 'Likes tea', request_heartbeat: true } },
        ],
      },
      sendMessage('Noted.'),
    );
    await harness.rest.request('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'I like tea' }],
    });
    await harness.rest.request('PUT', `/v1/agents/${agentId}/memory/human`, { value: 'Likes coffee' });
    const blockEvents = () =>
      client.frames.filter(
        (frame): frame is AgentEventFrame =>
          frame.type === 'agent.event' && frame.agent_id === agentId && frame.event.type === 'block.updated',
      );
    await until(() => blockEvents().length === 2);
    expect(blockEvents().map((frame) => [frame.conversation_id, frame.event])).toEqual([
      [
        null,
        {
          type: 'block.updated',
          block: expect.objectContaining({ label: 'human', value: 'Likes tea', version: 2, read_only: false }),
          actor: 'agent',
          by_agent_id: agentId,
        },
      ],
      [
        null,
        {
          type: 'block.updated',
          block: expect.objectContaining({ label: 'human', value: 'Likes coffee', version: 3 }),
          actor: 'user',
          by_agent_id: null,
        },
      ],
    ]);
    client.send({ type: 'agent.unsubscribe', agent_id: agentId });
    await client.next((frame) => frame.type === 'agent.unsubscribed' && frame.agent_id === agentId);
  });

  it('delivers the messages of a REST turn to an agent subscriber, shaped as GET …/messages', async () => {
    const agentId = await harness.rest.createAgent({ name: 'watched' });
    client.send({ type: 'agent.subscribe', agent_id: agentId });
    await client.next((frame) => frame.type === 'agent.subscribed' && frame.agent_id === agentId);
    harness.upstream.script(sendMessage('Seen by the subscriber.'));
    await harness.rest.request('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'Hello over REST' }],
    });
    const stored = await harness.rest.request<{ data: unknown[] }>('GET', `/v1/agents/${agentId}/messages`);
    const events = () =>
      client.frames.filter(
        (frame): frame is AgentEventFrame => frame.type === 'agent.event' && frame.agent_id === agentId,
      );
    await until(() => events().length === stored.data.length);
    const messages = events().map((frame) => (frame.event.type === 'message.created' ? frame.event.message : null));
    expect(messages).toEqual(stored.data);
    expect(messages.map((message) => message?.role)).toContain('user');

    client.send({ type: 'agent.unsubscribe', agent_id: agentId });
    await client.next((frame) => frame.type === 'agent.unsubscribed' && frame.agent_id === agentId);
    const seen = events().length;
    harness.upstream.script(sendMessage('Not seen.'));
    await harness.rest.request('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'Again' }],
    });
    client.send({ type: 'ping' });
    await until(() => client.frames.filter((frame) => frame.type === 'pong').length >= 2);
    expect(events()).toHaveLength(seen);
  });

  it("refuses a subscription to another user's agent with 404", async () => {
    const othersAgent = await new RestSetup(harness.baseUrl, harness.otherApiKey).createAgent({ name: 'not yours' });
    client.send({ type: 'agent.subscribe', agent_id: othersAgent });
    const error = await client.next<ErrorFrame>((frame) => frame.type === 'error' && frame.agent_id === othersAgent);
    expect(error.error.status).toBe(404);
  });

  it('closes with 1009 on a frame above maxPayload', async () => {
    const victim = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    victim.send({ type: 'ping', padding: 'x'.repeat(8192) });
    expect((await victim.closed).code).toBe(1009);
  });
});
