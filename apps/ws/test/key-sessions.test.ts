import type { ErrorFrame } from '@memgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelClient } from './channel-client.ts';
import { startWsHarness, type WsHarness } from './ws-harness.ts';

describe('chat channel sessions and their key', () => {
  let harness: WsHarness;
  let agentId: string;

  beforeAll(async () => {
    harness = await startWsHarness();
    agentId = await harness.rest.createAgent({ name: 'keyed' });
  });
  afterAll(() => harness.close());

  async function aliceKey(body: Record<string, unknown> = {}) {
    return harness.memgate.admin.createApiKey('alice', body);
  }

  it('lets a read-only key subscribe to agent events and answers its turns with a 403 error frame', async () => {
    const client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.readApiKey });
    try {
      client.send({ type: 'agent.subscribe', agent_id: agentId });
      await client.next((frame) => frame.type === 'agent.subscribed');
      client.create('r1', { model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Hi' }] });
      const { terminal } = await client.outcome('r1');
      expect(terminal.type).toBe('error');
      expect((terminal as ErrorFrame).error).toMatchObject({ status: 403, code: 'insufficient_scope' });
      expect(client.socket.readyState).toBe(client.socket.OPEN);
    } finally {
      await client.close();
    }
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('closes the sessions a deleted key opened with 4401 (header and auth-frame paths), and only those', async () => {
    const doomed = await aliceKey();
    const viaHeader = await ChannelClient.connect(harness.wsUrl, { apiKey: doomed.key });
    const viaFrame = await ChannelClient.connect(harness.wsUrl, { authToken: doomed.key });
    const other = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    try {
      await harness.memgate.admin.deleteApiKey(doomed.id);
      expect(await viaHeader.closed).toEqual({ code: 4401, reason: 'API key revoked.' });
      expect(await viaFrame.closed).toEqual({ code: 4401, reason: 'API key revoked.' });
      other.send({ type: 'ping' });
      await other.next((frame) => frame.type === 'pong');
    } finally {
      await Promise.all([viaHeader.close(), viaFrame.close(), other.close()]);
    }
  });

  it('closes a session with 4401 when its key expires', async () => {
    const expiring = await aliceKey({ expires_at: new Date(Date.now() + 400).toISOString() });
    const client = await ChannelClient.connect(harness.wsUrl, { apiKey: expiring.key });
    expect(await client.closed).toEqual({ code: 4401, reason: 'API key expired.' });
    await expect(ChannelClient.connect(harness.wsUrl, { apiKey: expiring.key })).rejects.toThrow(/401/);
  });
});
