import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from '@memgate/core';
import { RestSetup } from '@memgate/testkit';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { AGENT_EVENTS, COMPLETE, STREAM } from './graphql-operations.ts';
import { collect, postGraphql, type ResultError, wsClient } from './graphql-transport.ts';

const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const codesOf = (errors: readonly ResultError[] | undefined) => errors?.map((error) => error.extensions?.['code']);
const DEPTH_MESSAGE = 'JSON nests deeper than 64 levels of objects and arrays.';

describe('GraphQL input guards', () => {
  let harness: GraphqlHarness;
  let ws: Client;
  let agentId: string;
  const input = (extra: Record<string, unknown> = {}) => ({
    agentId,
    messages: [{ role: 'user', content: 'Store me?' }],
    ...extra,
  });
  /** The agent's stored history, as REST serves it, byte for byte. */
  const history = async () =>
    (
      await fetch(`${harness.baseUrl}/v1/agents/${agentId}/messages?limit=100`, {
        headers: { authorization: `Bearer ${harness.apiKey}` },
      })
    ).text();

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    ws = wsClient(harness.wsUrl, harness.apiKey, { lazy: false });
    agentId = await new RestSetup(harness.baseUrl, harness.apiKey).createAgent({ name: 'guards' });
    // One answered turn, so that "nothing stored" compares a real history.
    const first = await postGraphql(harness.graphqlUrl, harness.apiKey, COMPLETE, { input: input() });
    expect(first.errors).toBeUndefined();
  });
  afterAll(async () => {
    await ws?.dispose();
    await harness?.close();
  });

  it('refuses JSON nested deeper than 64 levels with BAD_USER_INPUT naming the field, and stores nothing', async () => {
    const before = await history();
    harness.upstream.reset();
    const overHttp = await postGraphql(harness.graphqlUrl, harness.apiKey, COMPLETE, {
      input: input({ tools: nested(65) }),
    });
    expect(codesOf(overHttp.errors)).toEqual(['BAD_USER_INPUT']);
    expect(overHttp.errors?.[0]?.message).toContain('"input.tools"');
    expect(overHttp.errors?.[0]?.message).toContain(DEPTH_MESSAGE);
    const overWs = await collect(ws, STREAM, { input: input({ toolChoice: nested(65) }) });
    expect(overWs.results[0]?.errors?.[0]?.message).toContain('"input.toolChoice"');
    expect(codesOf(overWs.results[0]?.errors)).toEqual(['BAD_USER_INPUT']);
    // In the document: the error points at the literal.
    const literal = `mutation { createChatCompletion(input: { agentId: "${agentId}", messages: [{ role: user, content: "Hi" }], tools: ${'['.repeat(65)}${']'.repeat(65)} }) { id } }`;
    const inDocument = await postGraphql(harness.graphqlUrl, harness.apiKey, literal);
    expect(inDocument.errors?.[0]).toMatchObject({
      message: DEPTH_MESSAGE,
      locations: [{ line: 1, column: literal.indexOf('tools: ') + 'tools: '.length + 1 }],
      extensions: { code: 'BAD_USER_INPUT', status: 422 },
    });
    // 100,000 levels: no stack overflow on the way in (the body is built by hand: JSON.stringify would overflow).
    const body = JSON.stringify({ query: COMPLETE, variables: { input: input({ tools: 0 }) } }).replace(
      '"tools":0',
      `"tools":${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    );
    const deep = await fetch(harness.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body,
    });
    const deepBody = (await deep.json()) as { errors: ResultError[] };
    expect(codesOf(deepBody.errors)).toEqual(['BAD_USER_INPUT']);
    expect(deepBody.errors[0]?.message).toContain(DEPTH_MESSAGE);
    expect(harness.upstream.requests).toHaveLength(0);
    expect(await history()).toBe(before);
  });

  it('lets JSON 64 levels deep through the scalar (the core then judges the value)', async () => {
    const response = await postGraphql(harness.graphqlUrl, harness.apiKey, COMPLETE, {
      input: input({ tools: nested(64) }),
    });
    expect(response.errors?.[0]?.message).not.toContain(DEPTH_MESSAGE);
  });

  it('stores nothing for an operation refused by a limit or validation', async () => {
    const before = await history();
    harness.upstream.reset();
    const turn = `createChatCompletion(input: $input) { id }`;
    const refused = [
      `mutation($input: ChatCompletionInput!) { ${Array.from({ length: 16 }, (_, index) => `t${index}: ${turn}`).join(' ')} }`,
      `mutation($input: ChatCompletionInput!) { ${turn} nope }`,
      `mutation($input: ChatCompletionInput!) { createChatCompletion(input: $input) { ${'id '.repeat(1_000)} } }`,
    ];
    for (const query of refused) {
      const response = await postGraphql(harness.graphqlUrl, harness.apiKey, query, { input: input() });
      expect(response.data ?? null).toBeNull();
      expect(new Set(codesOf(response.errors))).toEqual(new Set(['BAD_USER_INPUT']));
      const overWs = await collect(ws, query, { input: input() });
      expect(overWs.results).toEqual([]);
      expect(new Set(codesOf(overWs.failure as ResultError[]))).toEqual(new Set(['BAD_USER_INPUT']));
    }
    expect(harness.upstream.requests).toHaveLength(0);
    expect(await history()).toBe(before);
  });

  it(`caps a graphql-ws connection at ${MAX_SUBSCRIPTIONS_PER_CONNECTION} operations, refusing one more by itself`, async () => {
    const subscribe = () => {
      let unsubscribe = () => {};
      const first = new Promise<{ data?: unknown; errors?: readonly ResultError[] }>((resolve, reject) => {
        unsubscribe = ws.subscribe(
          { query: AGENT_EVENTS, variables: { agentId } },
          {
            next: (result) => resolve(result as { data?: unknown }),
            error: (errors) => resolve({ errors: errors as ResultError[] }),
            complete: () => reject(new Error('completed')),
          },
        );
      });
      return { first, unsubscribe: () => unsubscribe() };
    };
    const open = [];
    for (let index = 0; index < MAX_SUBSCRIPTIONS_PER_CONNECTION; index += 1) {
      const subscription = subscribe();
      expect((await subscription.first).data).toMatchObject({ agentEvents: { type: 'subscribed' } });
      open.push(subscription);
    }
    const refused = await subscribe().first;
    expect(refused.errors?.[0]).toMatchObject({
      message: `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} operations may run at once on one graphql-ws connection; complete one first.`,
      extensions: { code: 'RATE_LIMITED', status: 429, detail: 'too_many_subscriptions' },
    });
    // The connection stays: one completed makes room for the next.
    open.pop()?.unsubscribe();
    const again = subscribe();
    expect((await again.first).data).toMatchObject({ agentEvents: { type: 'subscribed' } });
    for (const subscription of [...open, again]) subscription.unsubscribe();
    const query = await collect<{ agents: unknown[] }>(ws, '{ agents { id } }', {});
    expect(query.results[0]?.data?.agents).toHaveLength(1);
  });
});

describe('GraphQL with MEMGATE_GRAPHQL_INTROSPECTION=false', () => {
  let harness: GraphqlHarness;
  beforeAll(async () => {
    harness = await startGraphqlHarness({ introspection: false });
  });
  afterAll(() => harness?.close());

  it('refuses __schema and __type on HTTP and graphql-ws, hides suggestions, and serves the rest', async () => {
    const ws = wsClient(harness.wsUrl, harness.apiKey);
    try {
      for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Agent") { name } }']) {
        const response = await postGraphql(harness.graphqlUrl, harness.apiKey, query);
        expect(response.data ?? null).toBeNull();
        expect(response.errors?.[0]?.message).toMatch(/^GraphQL introspection has been disabled/);
        expect(new Set(codesOf(response.errors))).toEqual(new Set(['BAD_USER_INPUT']));
        const overWs = await collect(ws, query, {});
        expect((overWs.failure as ResultError[])[0]?.message).toMatch(/^GraphQL introspection has been disabled/);
      }
      const typo = await postGraphql(harness.graphqlUrl, harness.apiKey, '{ agentz { id } }');
      // Not `Did you mean "agent" or "agents"?`: without introspection, no field is spelled out.
      expect(typo.errors?.[0]?.message).toBe('Cannot query field "agentz" on type "Query".');
      const served = await postGraphql(harness.graphqlUrl, harness.apiKey, '{ __typename agents { id } }');
      expect(served).toMatchObject({ data: { __typename: 'Query', agents: [] } });
    } finally {
      await ws.dispose();
    }
  });
});
