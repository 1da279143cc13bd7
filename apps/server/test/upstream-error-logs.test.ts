import { refusedUpstreamUrl } from '@memgate/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ObservedServer, startObservedServer } from './observability-harness.ts';

let observed: ObservedServer;
let upstreamUrl: string;
beforeAll(async () => {
  upstreamUrl = await refusedUpstreamUrl();
  observed = await startObservedServer({ upstreamUrl });
});
afterAll(() => observed.close());

it('tells the client only the request id of a refused upstream call, and the operator the errno and host', async () => {
  const { port, host } = new URL(upstreamUrl);
  const response = await fetch(`${observed.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${observed.apiKey}` },
    body: JSON.stringify({ model: 'mock-model', user: observed.agentId, messages: [{ role: 'user', content: 'Hi' }] }),
  });
  expect(response.status).toBe(502);
  const text = await response.text();
  for (const leak of [port, '127.0.0.1', 'ECONNREFUSED']) expect(text).not.toContain(leak);
  const body = JSON.parse(text) as { error: { message: string; request_id: string } };
  expect(body.error.request_id).toBe(response.headers.get('x-request-id'));
  expect(body.error.message).toBe(`The upstream LLM could not be reached (request id ${body.error.request_id}).`);

  const failure = observed.lines().find((line) => line.msg === 'upstream call failed');
  expect(failure).toMatchObject({ level: 50, requestId: body.error.request_id, upstreamHost: host, status: null });
  expect(failure?.['detail']).toMatch(new RegExp(`ECONNREFUSED.*${port}`));
});
