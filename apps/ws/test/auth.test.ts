import type { ErrorFrame, SessionCreatedFrame } from '@memgate/core';
import { sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ChannelClient } from './channel-client.ts';
import { startWsHarness, type WsHarness } from './ws-harness.ts';

const hi = (agentId: string) => ({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Hi' }] });

describe('chat channel authentication', () => {
  let harness: WsHarness;
  let agentId: string;

  beforeAll(async () => {
    harness = await startWsHarness();
    agentId = await harness.rest.createAgent({ name: 'auth' });
  });
  afterAll(() => harness.close());

  it('accepts the Authorization header on the upgrade and sends session.created first', async () => {
    const client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    expect(client.frames[0]).toMatchObject({ type: 'session.created', max_in_flight: 8 });
    expect((client.frames[0] as SessionCreatedFrame).session_id).toMatch(/^wss-/);
    harness.upstream.script(sendMessage('Header path.'));
    client.create('r1', hi(agentId));
    const { terminal } = await client.outcome('r1');
    expect(terminal).toMatchObject({ type: 'chat.completion.done', status: 'completed' });
    await client.close();
  });

  it('accepts an auth frame (the browser path) and serves frames sent right behind it', async () => {
    const client = await ChannelClient.connect(harness.wsUrl, { skipSession: true });
    harness.upstream.script(sendMessage('Frame path.'));
    client.send({ type: 'auth', token: harness.apiKey });
    client.create('r1', hi(agentId));
    const { terminal } = await client.outcome('r1');
    expect(client.frames[0]?.type).toBe('session.created');
    expect(terminal.type === 'chat.completion.done' && terminal.completion?.choices[0]?.message.content).toBe(
      'Frame path.',
    );
    await client.close();
  });

  it('refuses requests before authentication with 401 and keeps waiting for the auth frame', async () => {
    const client = await ChannelClient.connect(harness.wsUrl, { skipSession: true });
    client.create('early', hi(agentId));
    const { terminal } = await client.outcome('early');
    expect(terminal).toMatchObject({ type: 'error', request_id: 'early', error: { status: 401 } });
    client.send({ type: 'auth', token: harness.apiKey });
    await client.next((frame) => frame.type === 'session.created');
    await client.close();
  });

  it('closes with 4401 after an auth frame with a bad key', async () => {
    const client = await ChannelClient.connect(harness.wsUrl, { skipSession: true });
    client.send({ type: 'auth', token: 'mg-not-a-key' });
    expect((await client.closed).code).toBe(4401);
    expect(client.frames).toEqual([
      expect.objectContaining({ type: 'error', error: expect.objectContaining({ status: 401 }) }),
    ]);
  });

  it('closes with 4401 when no authentication comes within the timeout', async () => {
    const quick = await startWsHarness({ authTimeoutMs: 200 });
    try {
      const client = await ChannelClient.connect(quick.wsUrl, { skipSession: true });
      client.send({ type: 'ping' });
      const closed = await client.closed;
      expect(closed.code).toBe(4401);
      expect(client.frames.map((frame) => frame.type)).toEqual(['pong']);
    } finally {
      await quick.close();
    }
  });

  it('answers a bad header token with HTTP 401 and no upgrade', async () => {
    const socket = new WebSocket(harness.wsUrl, { headers: { authorization: 'Bearer mg-wrong' } });
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      socket.on('open', () => reject(new Error('The upgrade was accepted.')));
      socket.on('unexpected-response', (_request, incoming) => {
        let body = '';
        incoming.on('data', (data: Buffer) => {
          body += data.toString();
        });
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
      });
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({
      error: { type: 'authentication_error', code: 'invalid_api_key' },
    });
    await expect(ChannelClient.connect(harness.wsUrl, { apiKey: 'mg-wrong' })).rejects.toThrow(/401/);
  });

  it('refuses a second auth frame without dropping the connection', async () => {
    const client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    client.send({ type: 'auth', token: harness.apiKey });
    const error = await client.next<ErrorFrame>((frame) => frame.type === 'error');
    expect(error.error).toMatchObject({ status: 422, code: 'already_authenticated' });
    client.send({ type: 'ping' });
    await client.next((frame) => frame.type === 'pong');
    await client.close();
  });
});
