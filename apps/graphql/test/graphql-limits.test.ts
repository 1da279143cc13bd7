import { RestSetup } from '@memgate/testkit';
import { getIntrospectionQuery, Kind, parse } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRAPHQL_LIMITS } from '../src/index.ts';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { collect, postGraphql, type ResultError, wsClient } from './graphql-transport.ts';
import { readmeOperations } from './readme-operations.ts';

const aliases = (count: number, selection: string) =>
  `query { ${Array.from({ length: count }, (_, index) => `a${index}: ${selection}`).join(' ')} }`;

/** The alias bomb: 12,000 aliases of `agents { memory }`, about 500 KB. */
const ALIAS_BOMB = aliases(12_000, 'agents { memory { label value limit } }');

const codesOf = (errors: readonly ResultError[] | undefined) => errors?.map((error) => error.extensions?.['code']);

describe('GraphQL operation limits', () => {
  let harness: GraphqlHarness;
  let ws: Client;
  let agentId: string;

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    ws = wsClient(harness.wsUrl, harness.apiKey);
    agentId = await new RestSetup(harness.baseUrl, harness.apiKey).createAgent({ name: 'limits' });
  });
  afterAll(async () => {
    await ws?.dispose();
    await harness?.close();
  });

  /** Runs one operation over graphql-ws to its first result (subscriptions are then left). */
  async function firstResult(query: string) {
    const variables: Record<string, unknown> = {};
    for (const definition of parse(query).definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      for (const { variable } of definition.variableDefinitions ?? []) {
        const name = variable.name.value;
        variables[name] = name === 'input' ? { agentId, messages: [{ role: 'user', content: 'Hi' }] } : agentId;
      }
    }
    const results = ws.iterate({ query, variables });
    try {
      for await (const result of results) return result;
      throw new Error(`No result for ${query}`);
    } finally {
      await results.return?.();
    }
  }

  it('lets every operation of the README run, over graphql-ws', async () => {
    const operations = readmeOperations();
    // Six operations in the example block, two curl requests and their SSE variant, the JS client's.
    expect(operations.length).toBeGreaterThanOrEqual(10);
    for (const operation of operations) {
      const result = await firstResult(operation);
      expect(result.errors, operation).toBeUndefined();
      expect(result.data, operation).toBeTruthy();
    }
  });

  it("lets GraphiQL's introspection query run", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    const response = await postGraphql<{ __schema: { types: unknown[] } }>(harness.graphqlUrl, harness.apiKey, query);
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema.types.length).toBeGreaterThan(10);
  });

  it('refuses the alias bomb at parse time with BAD_USER_INPUT, and /healthz keeps answering', async () => {
    const bombs = Array.from({ length: 4 }, () => postGraphql(harness.graphqlUrl, harness.apiKey, ALIAS_BOMB));
    const health = await fetch(`${harness.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    for (const response of await Promise.all(bombs)) {
      expect(response.data ?? null).toBeNull();
      expect(codesOf(response.errors)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.message).toContain(`more than ${DEFAULT_GRAPHQL_LIMITS.maxTokens} tokens`);
    }
    const overWs = await collect(ws, ALIAS_BOMB, {});
    expect(overWs.results).toEqual([]);
    expect(codesOf(overWs.failure as ResultError[])).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses more aliases, depth, directives or cost than allowed, within the token limit', async () => {
    const refusals: [string, RegExp][] = [
      [aliases(DEFAULT_GRAPHQL_LIMITS.maxAliases + 1, 'agents { id }'), /Aliases limit of 15 exceeded/],
      [`{ agents ${'{ memory '.repeat(11)}{ label ${'} '.repeat(12)}}`, /Query depth limit of 10 exceeded/],
      [`{ agents { id ${'@include(if: true) '.repeat(51)} } }`, /Directives limit of 50 exceeded/],
    ];
    for (const [query, message] of refusals) {
      const response = await postGraphql(harness.graphqlUrl, harness.apiKey, query);
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.map((error) => error.message).join('\n')).toMatch(message);
      expect(new Set(codesOf(response.errors))).toEqual(new Set(['BAD_USER_INPUT']));
      const overWs = await collect(ws, query, {});
      expect((overWs.failure as ResultError[]).map((error) => error.message).join('\n')).toMatch(message);
    }
    const allowed = await postGraphql(harness.graphqlUrl, harness.apiKey, aliases(15, 'agents { id }'));
    expect(allowed.errors).toBeUndefined();
  });

  it('answers validation errors with BAD_USER_INPUT, and the status line GraphQL over HTTP gives', async () => {
    const asJson = await postGraphql(harness.graphqlUrl, harness.apiKey, '{ agentz { id } }');
    expect(asJson.httpStatus).toBe(200);
    expect(asJson.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 422 });
    const response = await fetch(harness.graphqlUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${harness.apiKey}`,
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
      },
      body: JSON.stringify({ query: '{ agentz { id } }' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: ResultError[] };
    expect(codesOf(body.errors)).toEqual(['BAD_USER_INPUT']);
    const overWs = await collect(ws, '{ agentz { id } }', {});
    expect((overWs.failure as ResultError[])[0]?.extensions).toEqual(
      expect.objectContaining({ code: 'BAD_USER_INPUT', status: 422 }),
    );
    expect((overWs.failure as ResultError[])[0]?.extensions).not.toHaveProperty('http');
  });

  it("gives each request's validation errors its own request id (yoga caches them by document)", async () => {
    for (const requestId of ['validation-one', 'validation-two']) {
      const response = await fetch(harness.graphqlUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${harness.apiKey}`,
          'content-type': 'application/json',
          'x-request-id': requestId,
        },
        body: JSON.stringify({ query: '{ agentz { name } }' }),
      });
      const body = (await response.json()) as { errors: ResultError[] };
      expect(body.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', request_id: requestId });
    }
  });
});

describe('GraphQL documents nested past the stack', () => {
  let harness: GraphqlHarness;
  beforeAll(async () => {
    // No token limit: the parser itself meets the nesting.
    harness = await startGraphqlHarness({ limits: { maxTokens: Number.POSITIVE_INFINITY } });
  });
  afterAll(() => harness?.close());

  it('are a syntax error (BAD_USER_INPUT), never INTERNAL_SERVER_ERROR, on HTTP and graphql-ws', async () => {
    const depth = 100_000;
    const documents = [
      `{ ${'agents { '.repeat(depth)}id${' }'.repeat(depth)} }`,
      `{ agent(id: ${'['.repeat(depth)}) { id } }`,
    ];
    const ws = wsClient(harness.wsUrl, harness.apiKey);
    try {
      for (const query of documents) {
        const response = await postGraphql(harness.graphqlUrl, harness.apiKey, query);
        expect(codesOf(response.errors)).toEqual(['BAD_USER_INPUT']);
        expect(response.errors?.[0]?.message).toBe('Syntax Error: The document is nested too deeply.');
        const overWs = await collect(ws, query, {});
        expect(codesOf(overWs.failure as ResultError[])).toEqual(['BAD_USER_INPUT']);
      }
      const after = await collect<{ agents: unknown[] }>(ws, '{ agents { id } }', {});
      expect(after.results[0]?.data?.agents).toEqual([]);
    } finally {
      await ws.dispose();
    }
  });
});
