import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, startMockUpstream } from '@memgate/testkit';
import { expect, it } from 'vitest';
import { startMemgateServer } from '../src/index.ts';

it('serves GraphiQL from its own files, with a first query and an Authorization template; introspection needs a key', async () => {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-graphiql-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0 });
  try {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    // Nothing from another host: no absolute URL at all, and every reference is a path on this server.
    expect(html).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(references.sort()).toEqual([
      '/graphql/graphiql/favicon.ico',
      '/graphql/graphiql/graphiql.css',
      '/graphql/graphiql/graphiql.js',
    ]);
    // The header template, as JSON inside the script (`<` escaped so it cannot close the tag).
    expect(html).toMatch(/Authorization\\+": \\+"Bearer \\u003cyour key>/);
    expect(html).toContain('query Agents');

    const assets = [
      ...references,
      ...['editorWorkerService', 'json', 'graphql'].map((label) => `/graphql/graphiql/${label}.worker.js`),
    ];
    for (const path of assets) {
      const asset = await fetch(`${server.url}${path}`);
      expect(asset.status, path).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, path).toBeGreaterThan(1000);
    }
    const script = await fetch(`${server.url}/graphql/graphiql/graphiql.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('renderYogaGraphiQL');
    expect((await fetch(`${server.url}/graphql/graphiql/missing.js`)).status).not.toBe(200);

    const introspect = (authorization?: string) =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      }).then(
        (response) => response.json() as Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }>,
      );
    expect((await introspect()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await introspect(`Bearer ${test.apiKey}`)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  } finally {
    await server.close();
    await test.memgate.close();
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it('with MEMGATE_GRAPHQL_INTROSPECTION=false, refuses the schema GraphiQL asks for, with a message saying why', async () => {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-graphiql-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0, graphqlIntrospection: false });
  try {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${test.apiKey}` },
      // The start of GraphiQL's own introspection query.
      body: JSON.stringify({ query: 'query IntrospectionQuery { __schema { queryType { name } types { name } } }' }),
    });
    const body = (await response.json()) as { data?: unknown; errors: { message: string; extensions: object }[] };
    expect(body.data ?? null).toBeNull();
    expect(body.errors[0]).toMatchObject({
      message: 'GraphQL introspection has been disabled, but the requested query contained the field "__schema".',
      extensions: { code: 'BAD_USER_INPUT', status: 422 },
    });
  } finally {
    await server.close();
    await test.memgate.close();
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
