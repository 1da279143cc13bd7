import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionDoneFrame } from '@memgate/core';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, RestSetup, sendMessage, startMockUpstream } from '@memgate/testkit';
import { expect, it } from 'vitest';
import { ChannelClient } from '../../ws/test/channel-client.ts';
import { gate, until } from '../../ws/test/ws-harness.ts';
import { startMemgateServer } from '../src/index.ts';

it('serves the chat channel on the shared port and lets its in-flight turn finish before closing with 1001', async () => {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-server-ws-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0 });
  const wsUrl = `${server.url.replace('http', 'ws')}/v1/chat/ws`;
  try {
    const agentId = await new RestSetup(server.url, test.apiKey).createAgent({ name: 'shared port' });
    const ask = { model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Hi' }] };
    const client = await ChannelClient.connect(wsUrl, { apiKey: test.apiKey });

    upstream.script(sendMessage('Over the chat channel.'));
    client.create('first', ask);
    const first = (await client.outcome('first')).terminal as CompletionDoneFrame;
    expect(first.completion?.choices[0]?.message.content).toBe('Over the chat channel.');

    const held = gate();
    upstream.setDefault(async () => {
      await held.promise;
      return sendMessage('Finished during shutdown.');
    });
    client.create('last', ask);
    await until(() => upstream.requests.length === 2);
    const closed = server.close();
    held.open();
    const last = (await client.outcome('last')).terminal;
    expect(last).toMatchObject({ status: 'completed' });
    expect((await client.closed).code).toBe(1001);
    await closed;
  } finally {
    await server.close();
    await test.memgate.close();
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
