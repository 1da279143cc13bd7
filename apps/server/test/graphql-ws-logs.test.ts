import { sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AGENT_EVENTS, STREAM } from '../../graphql/test/graphql-operations.ts';
import { collect, wsClient } from '../../graphql/test/graphql-transport.ts';
import { CHAT_MUTATION, eventually, type ObservedServer, startObservedServer } from './observability-harness.ts';

let observed: ObservedServer;
beforeAll(async () => {
  observed = await startObservedServer();
});
afterAll(() => observed.close());

const operationLines = () =>
  observed.lines().filter((line) => line.msg === 'request' && line['method'] === 'SUBSCRIBE');

it('writes one line per graphql-ws operation: name, outcome, status, duration, user, agent and request id', async () => {
  const { agentId, upstream } = observed;
  const client = wsClient(`${observed.server.url.replace('http', 'ws')}/graphql`, observed.apiKey, { lazy: false });
  try {
    upstream.script(sendMessage('Over graphql-ws.'));
    const input = { agentId, messages: [{ role: 'user', content: 'Hi' }] };
    expect((await collect(client, CHAT_MUTATION, { input })).failure).toBeUndefined();
    upstream.script(sendMessage('Streamed over graphql-ws.'));
    const streamed = await collect(client, STREAM, { input });
    expect(streamed.failure).toBeUndefined();
    expect(streamed.results.flatMap((result) => result.errors ?? [])).toEqual([]);
    // Refused before it runs (validation), and failed while running (an unknown agent).
    const invalid = await collect(client, 'query Bad { noSuchField }', {});
    expect(invalid.failure).toBeDefined();
    const missing = await collect(client, CHAT_MUTATION, { input: { ...input, agentId: 'agent-missing' } });
    expect(missing.results[0]?.errors?.[0]?.extensions?.['status']).toBe(404);
    // A subscription the client leaves.
    const events = await new Promise<() => void>((resolve) => {
      const unsubscribe = client.subscribe(
        { query: AGENT_EVENTS, variables: { agentId } },
        { next: () => resolve(unsubscribe), error: () => undefined, complete: () => undefined },
      );
    });
    events();
    await eventually(() => operationLines().length === 5);
  } finally {
    await client.dispose();
  }
  await eventually(() => observed.lines().some((line) => line['method'] === 'WS' && line['route'] === '/graphql'));

  const connection = observed.lines().find((line) => line['method'] === 'WS' && line['route'] === '/graphql');
  const lines = operationLines();
  const byOperation = (operation: string) => lines.filter((line) => line['operation'] === operation);
  const shared = { protocol: 'graphql', route: '/graphql', requestId: connection?.['requestId'], level: 30 };
  const userId = expect.any(String);
  expect(byOperation('mutation Chat')).toEqual([
    expect.objectContaining({ ...shared, status: 200, outcome: 'completed', userId, agentId }),
    expect.objectContaining({ ...shared, status: 404, outcome: 'error', userId }),
  ]);
  expect(byOperation('subscription Stream')).toEqual([
    expect.objectContaining({ ...shared, status: 200, outcome: 'completed', agentId }),
  ]);
  expect(byOperation('query Bad')).toEqual([expect.objectContaining({ ...shared, status: 422, outcome: 'error' })]);
  expect(byOperation('subscription Events')).toEqual([
    expect.objectContaining({ ...shared, status: 200, outcome: 'cancelled', agentId }),
  ]);
  for (const line of lines) expect(line['durationMs']).toEqual(expect.any(Number));
  // The connection's own line still names the agent its operations worked on.
  expect(connection).toMatchObject({ protocol: 'graphql', status: 1000, userId });
});
