import { RestSetup } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camelKeys } from './camel-keys.ts';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { postGraphql, type ResultError } from './graphql-transport.ts';
import { restCall } from './rest-call.ts';

const PASSAGE = 'id object content embeddingModel createdAt';
const LIST = `query($agentId: ID!, $limit: Int, $before: ID) {
  archivalPassages(agentId: $agentId, limit: $limit, before: $before) { ${PASSAGE} }
}`;
const SEARCH = `query($agentId: ID!, $query: String!, $page: Int, $limit: Int) {
  searchArchival(agentId: $agentId, query: $query, page: $page, limit: $limit) {
    query searchMode total page pages pageSize data { ${PASSAGE} }
  }
}`;
const INSERT = `mutation($agentId: ID!, $content: String!) {
  insertArchivalPassage(agentId: $agentId, content: $content) { ${PASSAGE} }
}`;
const DELETE = 'mutation($agentId: ID!, $id: ID!) { deleteArchivalPassage(agentId: $agentId, id: $id) }';

type Passage = { id: string; content: string };
const extensionsOf = (errors: ResultError[] | undefined) => errors?.map((error) => error.extensions);

describe('GraphQL archival memory (console)', () => {
  let harness: GraphqlHarness;
  let agentId: string;
  const graphql = <Data>(query: string, variables: Record<string, unknown>, apiKey = harness.apiKey) =>
    postGraphql<Data>(harness.graphqlUrl, apiKey, query, variables);
  const rest = (path: string, init: { method?: string; body?: unknown } = {}) =>
    restCall(harness.baseUrl, harness.apiKey, { path, ...init });

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    agentId = await new RestSetup(harness.baseUrl, harness.apiKey).createAgent({ name: 'archive' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('inserts passages and lists them as REST does, page by page', async () => {
    const contents = ['The cat is a tabby.', 'Tabby cats purr loudly.', 'The dog is a greyhound.'];
    const inserted: Passage[] = [];
    for (const content of contents) {
      const answer = await graphql<{ insertArchivalPassage: Passage }>(INSERT, { agentId, content });
      expect(answer.errors).toBeUndefined();
      inserted.push(answer.data!.insertArchivalPassage);
    }
    expect(inserted.map((passage) => passage.content)).toEqual(contents);
    const viaRest = await rest(`/v1/agents/${agentId}/archival`, {
      method: 'POST',
      body: { content: 'Tabby by REST.' },
    });
    expect(viaRest.status).toBe(201);

    const listed = await graphql<{ archivalPassages: Passage[] }>(LIST, { agentId });
    const restList = (await rest(`/v1/agents/${agentId}/archival`)).body as { data: unknown[] };
    expect(listed.data!.archivalPassages).toEqual(camelKeys(restList.data));
    expect(listed.data!.archivalPassages).toHaveLength(4);
    expect(listed.data!.archivalPassages).toEqual(expect.arrayContaining(inserted));

    const before = listed.data!.archivalPassages.at(-1)!.id;
    const page = await graphql<{ archivalPassages: Passage[] }>(LIST, { agentId, limit: 2, before });
    const restPage = (await rest(`/v1/agents/${agentId}/archival?limit=2&before=${before}`)).body as {
      data: unknown[];
    };
    expect(page.data!.archivalPassages).toEqual(camelKeys(restPage.data));
    expect(page.data!.archivalPassages.length).toBeGreaterThan(0);
  });

  it('searches with REST’s ranking, paging and totals', async () => {
    for (const [page, limit] of [
      [1, 10],
      [1, 1],
      [2, 1],
      [9, 1],
    ] as const) {
      const answer = await graphql<{ searchArchival: Record<string, unknown> }>(SEARCH, {
        agentId,
        query: 'tabby',
        page,
        limit,
      });
      expect(answer.errors).toBeUndefined();
      const restSearch = await rest(`/v1/agents/${agentId}/archival/search?q=tabby&page=${page}&limit=${limit}`);
      const { object: _list, ...expected } = restSearch.body as Record<string, unknown>;
      expect(answer.data!.searchArchival).toEqual(camelKeys(expected));
    }
    const all = await graphql<{ searchArchival: { total: number; pages: number; searchMode: string } }>(SEARCH, {
      agentId,
      query: 'tabby',
      limit: 1,
    });
    expect(all.data!.searchArchival).toMatchObject({ total: 3, pages: 3, searchMode: 'text' });
  });

  it('deletes a passage; a second delete is NOT_FOUND', async () => {
    const inserted = await graphql<{ insertArchivalPassage: Passage }>(INSERT, { agentId, content: 'Short-lived.' });
    const id = inserted.data!.insertArchivalPassage.id;
    const deleted = await graphql<{ deleteArchivalPassage: boolean }>(DELETE, { agentId, id });
    expect(deleted.data).toEqual({ deleteArchivalPassage: true });
    const restList = (await rest(`/v1/agents/${agentId}/archival`)).body as { data: Passage[] };
    expect(restList.data.map((passage) => passage.id)).not.toContain(id);
    const again = await graphql(DELETE, { agentId, id });
    expect(extensionsOf(again.errors)).toEqual([expect.objectContaining({ code: 'NOT_FOUND', status: 404 })]);
    expect((await rest(`/v1/agents/${agentId}/archival/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses bad input with REST’s statuses, never an internal error', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [SEARCH, { agentId, query: '' }, `/v1/agents/${agentId}/archival/search?q=`],
      [SEARCH, { agentId, query: 'x', limit: 101 }, `/v1/agents/${agentId}/archival/search?q=x&limit=101`],
      [SEARCH, { agentId, query: 'x', limit: 0 }, `/v1/agents/${agentId}/archival/search?q=x&limit=0`],
      [SEARCH, { agentId, query: 'x', page: 0 }, `/v1/agents/${agentId}/archival/search?q=x&page=0`],
      [LIST, { agentId, limit: -1 }, `/v1/agents/${agentId}/archival?limit=-1`],
    ];
    for (const [query, variables, path] of cases) {
      const answer = await graphql(query, variables);
      const restAnswer = await rest(path);
      expect(restAnswer.status, path).toBe(422);
      expect(extensionsOf(answer.errors), path).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT', status: restAnswer.status, request_id: expect.any(String) }),
      ]);
    }
    for (const content of ['', '   ', 'x'.repeat(20_001)]) {
      const answer = await graphql(INSERT, { agentId, content });
      const restAnswer = await rest(`/v1/agents/${agentId}/archival`, { method: 'POST', body: { content } });
      expect(restAnswer.status).toBe(422);
      expect(extensionsOf(answer.errors)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', status: 422 })]);
    }
    const missing = await graphql(LIST, { agentId: 'agent-missing' });
    expect(extensionsOf(missing.errors)).toEqual([expect.objectContaining({ code: 'NOT_FOUND', status: 404 })]);
  });

  it("keeps another user's agent unreachable, and a read-only key from writing", async () => {
    const before = (await rest(`/v1/agents/${agentId}/archival`)).body;
    const otherKey = harness.otherApiKey;
    for (const [query, variables] of [
      [LIST, { agentId }],
      [SEARCH, { agentId, query: 'tabby' }],
      [INSERT, { agentId, content: 'Intruder.' }],
      [DELETE, { agentId, id: (before as { data: Passage[] }).data[0]!.id }],
    ] as const) {
      const answer = await graphql(query, variables, otherKey);
      expect(extensionsOf(answer.errors), query).toEqual([expect.objectContaining({ code: 'NOT_FOUND', status: 404 })]);
    }
    const readOnly = await graphql(INSERT, { agentId, content: 'Not allowed.' }, harness.readApiKey);
    expect(extensionsOf(readOnly.errors)).toEqual([expect.objectContaining({ code: 'FORBIDDEN', status: 403 })]);
    const readable = await graphql<{ archivalPassages: Passage[] }>(LIST, { agentId }, harness.readApiKey);
    expect(readable.data!.archivalPassages).toEqual(camelKeys((before as { data: unknown[] }).data));
    expect((await rest(`/v1/agents/${agentId}/archival`)).body).toEqual(before);
  });
});
