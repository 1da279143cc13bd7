import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, RestSetup, sendMessage, startMockUpstream } from '@memgate/testkit';
import { expect, it } from 'vitest';
import { AGENT_EVENTS, COMPLETE, STREAM } from '../../graphql/test/graphql-operations.ts';
import { collect, postGraphql, wsClient } from '../../graphql/test/graphql-transport.ts';
import { postSse, sseEvents } from '../../graphql/test/sse-reader.ts';
import { startMemgateServer } from '../src/index.ts';

it('serves GraphQL over HTTP, SSE and graphql-ws on the shared port, and closes with subscriptions open', async () => {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-server-graphql-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0 });
  const graphqlUrl = `${server.url}/graphql`;
  const ws = wsClient(graphqlUrl.replace('http', 'ws'), test.apiKey, { lazy: false });
  try {
    // REST stays the fallback next to the mount.
    const agentId = await new RestSetup(server.url, test.apiKey).createAgent({ name: 'shared' });
    const input = (content: string) => ({ agentId, messages: [{ role: 'user', content }] });

    upstream.script(sendMessage('Over HTTP.'));
    const completed = await postGraphql<{ createChatCompletion: { choices: { message: { content: string } }[] } }>(
      graphqlUrl,
      test.apiKey,
      COMPLETE,
      { input: input('Hi') },
    );
    expect(completed.data?.createChatCompletion.choices[0]?.message.content).toBe('Over HTTP.');

    upstream.script(sendMessage('Over WebSocket.'));
    const streamed = await collect<{ chatCompletionStream: { choices: { delta: { content: string | null } }[] } }>(
      ws,
      STREAM,
      { input: input('Hi') },
    );
    const text = streamed.results.map((result) => result.data?.chatCompletionStream.choices[0]?.delta.content ?? '');
    expect(text.join('')).toBe('Over WebSocket.');

    // Long-lived: an agentEvents SSE stream and a graphql-ws connection with a live subscription.
    const socketClosed = new Promise<unknown>((resolve) => ws.on('closed', resolve));
    const wsEvents = collect(ws, AGENT_EVENTS, { agentId });
    const events = sseEvents<{ agentEvents: { type: string } }>(
      await postSse(graphqlUrl, test.apiKey, AGENT_EVENTS, { agentId }),
    );
    expect((await events.next()).value?.data?.data?.agentEvents.type).toBe('subscribed');

    await server.close();
    expect(await socketClosed).toMatchObject({ code: 1001 });
    expect((await wsEvents).failure).toMatchObject({ code: 1001 });
    const rest: string[] = [];
    for await (const event of events) rest.push(event.event);
    expect(rest).toEqual(['complete']);
  } finally {
    await ws.dispose();
    await server.close();
    await test.memgate.close();
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
