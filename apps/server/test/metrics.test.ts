import type { CompletionDoneFrame } from '@memgate/core';
import { sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChannelClient } from '../../ws/test/channel-client.ts';
import { CHAT_MUTATION, graphql, type ObservedServer, startObservedServer } from './observability-harness.ts';

const TOKEN = 'metrics-token-for-tests';
let observed: ObservedServer;
beforeAll(async () => {
  observed = await startObservedServer({ metricsToken: TOKEN });
});
afterAll(() => observed.close());

/** The value of one sample of the exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matches) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

async function scrape(): Promise<string> {
  const response = await fetch(`${observed.server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

it('refuses /metrics without the token or with a wrong one (401)', async () => {
  expect((await fetch(`${observed.server.url}/metrics`)).status).toBe(401);
  const wrong = await fetch(`${observed.server.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
});

it('moves the counters after real turns on every protocol', async () => {
  const before = await scrape();
  const { upstream, agentId } = observed;
  const ask = { model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'Hi' }] };
  const post = (body: unknown) =>
    fetch(`${observed.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${observed.apiKey}` },
      body: JSON.stringify(body),
    });

  upstream.script(sendMessage('rest'));
  expect((await post(ask)).status).toBe(200);
  upstream.script(sendMessage('streamed'));
  await (await post({ ...ask, stream: true })).text();
  upstream.script({ error: { status: 429 } });
  expect((await post(ask)).status).toBe(429);

  upstream.script(sendMessage('graphql'));
  const input = { agentId, messages: [{ role: 'user', content: 'Hi' }] };
  expect((await graphql(observed, CHAT_MUTATION, { input })).body.errors).toBeUndefined();

  const client = await ChannelClient.connect(`${observed.server.url.replace('http', 'ws')}/v1/chat/ws`, {
    apiKey: observed.apiKey,
  });
  upstream.script(sendMessage('ws'));
  client.create('r1', ask);
  expect(((await client.outcome('r1')).terminal as CompletionDoneFrame).status).toBe('completed');
  const during = await scrape();
  expect(sample(during, 'memgate_websocket_connections', { channel: 'chat' })).toBe(1);
  client.socket.close();
  await client.closed;

  const after = await scrape();
  const moved = (name: string, labels: Record<string, string> = {}) =>
    sample(after, name, labels) - sample(before, name, labels);
  expect(moved('memgate_turns_total', { protocol: 'rest', outcome: 'completed' })).toBe(2);
  expect(moved('memgate_turns_total', { protocol: 'rest', outcome: 'rate_limited' })).toBe(1);
  expect(moved('memgate_turns_total', { protocol: 'graphql', outcome: 'completed' })).toBe(1);
  expect(moved('memgate_turns_total', { protocol: 'ws', outcome: 'completed' })).toBe(1);
  expect(moved('memgate_turn_duration_seconds_count', { protocol: 'rest', outcome: 'completed' })).toBe(2);
  expect(moved('memgate_turn_time_to_first_token_seconds_count', { protocol: 'rest' })).toBe(2);
  expect(moved('memgate_turn_steps_sum', { protocol: 'ws' })).toBe(1);
  expect(moved('memgate_upstream_request_duration_seconds_count', { purpose: 'step', outcome: 'ok' })).toBe(4);
  expect(moved('memgate_upstream_errors_total', { status: '429' })).toBe(1);
  expect(moved('memgate_upstream_tokens_total', { direction: 'in' })).toBeGreaterThan(0);
  expect(moved('memgate_upstream_tokens_total', { direction: 'out' })).toBeGreaterThan(0);
  expect(moved('memgate_agent_lock_wait_seconds_count')).toBe(5);
  expect(moved('memgate_store_commit_duration_seconds_count')).toBeGreaterThanOrEqual(8);
  expect(moved('memgate_http_request_duration_seconds_count', { route: '/v1/chat/completions', status: '200' })).toBe(
    2,
  );
  expect(moved('memgate_http_request_duration_seconds_count', { protocol: 'graphql', status: '200' })).toBe(1);
  expect(moved('memgate_http_request_duration_seconds_count', { protocol: 'ws', route: '/v1/chat/ws' })).toBe(1);
  expect(sample(after, 'memgate_turns_in_flight')).toBe(0);
  expect(sample(after, 'memgate_websocket_connections', { channel: 'chat' })).toBe(0);
  expect(sample(after, 'memgate_agent_queued_turns_max')).toBe(0);
  expect(after).toContain('memgate_summarisations_total');
  expect(after).toContain('memgate_graphql_subscriptions 0');
  // Default process metrics.
  expect(after).toContain('process_cpu_user_seconds_total');
  expect(after).toContain('nodejs_eventloop_lag_seconds');
});
