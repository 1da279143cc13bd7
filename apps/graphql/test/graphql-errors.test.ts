import { defaultBodyLimitBytes } from '@memgate/core';
import { RestSetup, sendMessage } from '@memgate/testkit';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UNAUTHORIZED_CLOSE_CODE } from '../src/index.ts';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { AGENT_EVENTS, AGENT_FIELDS, COMPLETE, STREAM } from './graphql-operations.ts';
import { collect, postGraphql, wsClient } from './graphql-transport.ts';

const AGENTS = `query { agents { ${AGENT_FIELDS} } }`;

describe('GraphQL errors', () => {
  let harness: GraphqlHarness;
  let ws: Client;
  let agentId: string;
  const input = (content: string) => ({ agentId, messages: [{ role: 'user', content }] });

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    ws = wsClient(harness.wsUrl, harness.apiKey);
  });
  afterAll(async () => {
    await ws?.dispose();
    await harness?.close();
  });
  beforeEach(async () => {
    harness.upstream.reset();
    agentId = await new RestSetup(harness.baseUrl, harness.apiKey).createAgent({ name: 'errors' });
  });

  describe('request bodies', () => {
    const post = (body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(harness.graphqlUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json', ...headers },
        body,
        duplex: 'half',
      } as RequestInit);
    const codeOf = async (response: Response) =>
      ((await response.json()) as { errors: { extensions: { code: string; status: number } }[] }).errors[0]?.extensions;

    it('refuses a body over the limit with 413', async () => {
      const query = `query { agents { id } } # ${'x'.repeat(defaultBodyLimitBytes())}`;
      const response = await post(JSON.stringify({ query }));
      expect(response.status).toBe(413);
      expect(await codeOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', status: 413 });
    });

    it('refuses a chunked body without Content-Length with 411, whatever its size', async () => {
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify({ query: 'query { agents { id } }' })));
          controller.close();
        },
      });
      const response = await post(chunks);
      expect(response.status).toBe(411);
      expect(await codeOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', status: 411 });
    });
  });

  describe('authentication', () => {
    for (const [label, apiKey] of [
      ['a missing', null],
      ['an unknown', 'mg-not-a-real-key'],
    ] as const) {
      it(`answers UNAUTHENTICATED with HTTP 401 for ${label} key`, async () => {
        const response = await postGraphql(harness.graphqlUrl, apiKey, AGENTS);
        expect(response.httpStatus).toBe(401);
        expect(response.data ?? null).toBeNull();
        expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
        expect(response.errors?.[0]?.extensions).not.toHaveProperty('http');
      });

      it(`closes a graphql-ws connection with ${UNAUTHORIZED_CLOSE_CODE} for ${label} key`, async () => {
        const anonymous = wsClient(harness.wsUrl, apiKey);
        try {
          const record = await collect(anonymous, AGENTS, {});
          expect(record.results).toEqual([]);
          expect(record.failure).toMatchObject({ code: UNAUTHORIZED_CLOSE_CODE });
          expect((record.failure as { reason: string }).reason).toMatch(/unauthorized/i);
        } finally {
          await anonymous.dispose();
        }
      });
    }

    it('answers UNAUTHENTICATED to an SSE subscription without a key', async () => {
      const response = await fetch(harness.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: STREAM, variables: { input: input('Hi') } }),
      });
      expect(response.status).toBe(401);
      expect(await response.text()).toContain('"code":"UNAUTHENTICATED"');
      expect(harness.upstream.requests).toHaveLength(0);
    });
  });

  describe("another user's agent is NOT_FOUND", () => {
    it('for a chat completion, over HTTP and graphql-ws', async () => {
      const other = await postGraphql(harness.graphqlUrl, harness.otherApiKey, COMPLETE, { input: input('Hi') });
      expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
      const otherWs = wsClient(harness.wsUrl, harness.otherApiKey);
      try {
        const record = await collect(otherWs, STREAM, { input: input('Hi') });
        expect(record.results).toHaveLength(1);
        expect(record.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
        const events = await collect(otherWs, AGENT_EVENTS, { agentId });
        expect(events.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
      } finally {
        await otherWs.dispose();
      }
      expect(harness.upstream.requests).toHaveLength(0);
    });

    it('for agent, messages and deleteAgent', async () => {
      const query = `query($id: ID!) { agent(id: $id) { id } messages(agentId: $id) { id } }`;
      const read = await postGraphql<{ agent: null }>(harness.graphqlUrl, harness.otherApiKey, query, { id: agentId });
      expect(read.data).toBeNull();
      expect(read.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
      const removed = await postGraphql(
        harness.graphqlUrl,
        harness.otherApiKey,
        'mutation($id: ID!) { deleteAgent(id: $id) }',
        {
          id: agentId,
        },
      );
      expect(removed.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
      const mine = await postGraphql<{ agent: { id: string } }>(harness.graphqlUrl, harness.apiKey, query, {
        id: agentId,
      });
      expect(mine.data?.agent.id).toBe(agentId);
    });
  });

  it('answers BAD_USER_INPUT (422) for empty messages, over HTTP, graphql-ws and SSE', async () => {
    const variables = { input: { agentId, messages: [] } };
    const completed = await postGraphql(harness.graphqlUrl, harness.apiKey, COMPLETE, variables);
    expect(completed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 422, param: 'messages' });
    const streamed = await collect(ws, STREAM, variables);
    expect(streamed.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 422 });
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('answers RATE_LIMITED with retryAfter when the upstream limits', async () => {
    const limited = { error: { status: 429, headers: { 'retry-after': '3' } } };
    harness.upstream.script(limited);
    const response = await postGraphql(harness.graphqlUrl, harness.apiKey, COMPLETE, { input: input('Hi') });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfter: 3 });
  });

  it('reports syntax and validation errors as BAD_USER_INPUT and keeps the graphql-ws connection', async () => {
    const syntax = await postGraphql(harness.graphqlUrl, harness.apiKey, 'query { agents {');
    expect(syntax.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(syntax.errors?.[0]?.extensions?.status).toBe(422);
    // GraphQL over HTTP: with `Accept: application/json`, a request error is still a 200.
    expect(syntax.httpStatus).toBe(200);
    const invalid = await collect(ws, 'subscription { chatCompletionStream { id } }', {});
    expect(invalid.failure).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
    const broken = await collect(ws, 'subscription {', {});
    expect(Array.isArray(broken.failure)).toBe(true);
    harness.upstream.script(sendMessage('Still connected.'));
    const after = await collect<{ chatCompletionStream: { choices: { delta: { content: string | null } }[] } }>(
      ws,
      STREAM,
      { input: input('Hi') },
    );
    const text = after.results.map((result) => result.data?.chatCompletionStream.choices[0]?.delta.content ?? '');
    expect(text.join('')).toBe('Still connected.');
  });

  it('masks unexpected errors as INTERNAL_SERVER_ERROR', async () => {
    const broken = await startGraphqlHarness();
    try {
      // A store that fails under the core is a real failure, not bad input.
      await broken.memgate.store.close();
      const response = await postGraphql(broken.graphqlUrl, broken.apiKey, AGENTS);
      expect(response.errors?.[0]).toMatchObject({
        message: 'Internal server error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR', status: 500 },
      });
    } finally {
      await broken.close().catch(() => {});
    }
  });
});
