import { sendMessage } from '@memgate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ChannelClient } from './channel-client.ts';
import { gate, startWsHarness, until, type WsHarness } from './ws-harness.ts';

const ask = (agentId: string) => ({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Hi' }] });

describe('chat channel lifecycle', () => {
  let harness: WsHarness | undefined;
  afterEach(() => harness?.close());

  it('terminates a connection that stops answering pings, and keeps one that answers', async () => {
    harness = await startWsHarness({ keepaliveIntervalMs: 200 });
    const healthy = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    let pings = 0;
    healthy.socket.on('ping', () => pings++);
    const dead = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey, ws: { autoPong: false } });
    const closed = await dead.closed;
    expect(closed.code).toBe(1006);
    await until(() => pings >= 3);
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
    expect(harness.channel.stats().connections).toBe(1);
    await healthy.close();
  });

  it('shuts down gracefully: refuses new work, lets the in-flight turn finish, then closes with 1001', async () => {
    const server = await startWsHarness();
    harness = server;
    const agentId = await server.rest.createAgent({ name: 'shutdown' });
    const held = gate();
    server.upstream.setDefault(async () => {
      await held.promise;
      return sendMessage('Finished before the shutdown.');
    });
    const client = await ChannelClient.connect(server.wsUrl, { apiKey: server.apiKey });
    client.create('in-flight', ask(agentId));
    await until(() => server.upstream.requests.length === 1);

    const closing = server.channel.close();
    client.create('too-late', ask(agentId));
    const refused = await client.outcome('too-late');
    expect(refused.terminal).toMatchObject({ type: 'error', error: { status: 503, code: 'shutting_down' } });
    await expect(ChannelClient.connect(server.wsUrl, { apiKey: server.apiKey })).rejects.toThrow(/503/);

    held.open();
    const { terminal } = await client.outcome('in-flight');
    expect(terminal).toMatchObject({ type: 'chat.completion.done', status: 'completed' });
    expect((await client.closed).code).toBe(1001);
    await closing;
    expect(client.frames.at(-1)).toBe(terminal);
  });

  it('cancels turns still running at the shutdown deadline, answering done cancelled before 1001', async () => {
    const server = await startWsHarness({ shutdownTimeoutMs: 100 });
    harness = server;
    const agentId = await server.rest.createAgent({ name: 'deadline' });
    server.upstream.script({ hang: true });
    const client = await ChannelClient.connect(server.wsUrl, { apiKey: server.apiKey });
    client.create('stuck', ask(agentId));
    await until(() => server.upstream.activeRequests() === 1);
    await server.channel.close();
    const { terminal } = await client.outcome('stuck');
    expect(terminal).toMatchObject({ status: 'cancelled' });
    expect((await client.closed).code).toBe(1001);
    await server.upstream.waitForAbort();
  });
});
