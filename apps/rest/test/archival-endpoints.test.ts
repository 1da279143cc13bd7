import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

interface PassageBody {
  id: string;
  object: string;
  content: string;
  embedding_model: string | null;
  created_at: string;
}

describe('archival memory endpoints', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let asBob: ReturnType<typeof api>;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness();
    call = api(harness.baseUrl, harness.apiKey);
    asBob = api(harness.baseUrl, harness.otherApiKey);
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    agentId = (await call('POST', '/v1/agents', {})).body['id'] as string;
  });

  const insert = (content: string) => call('POST', `/v1/agents/${agentId}/archival`, { content });
  const list = async (query = '') =>
    (await call('GET', `/v1/agents/${agentId}/archival${query}`)).body.data as PassageBody[];

  it('inserts a passage (201) and lists passages oldest first, paged like messages', async () => {
    const created = await insert('Ada was born in London in 1815.');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: 'archival_passage',
      content: 'Ada was born in London in 1815.',
      embedding_model: null,
    });
    expect(created.body['id']).toMatch(/^passage-/);
    for (const text of ['second', 'third', 'fourth']) await insert(text);

    expect((await list()).map((passage) => passage.content)).toEqual([
      'Ada was born in London in 1815.',
      'second',
      'third',
      'fourth',
    ]);
    const newest = await list('?limit=2');
    expect(newest.map((passage) => passage.content)).toEqual(['third', 'fourth']);
    const older = await list(`?limit=2&before=${newest[0]!.id}`);
    expect(older.map((passage) => passage.content)).toEqual(['Ada was born in London in 1815.', 'second']);
  });

  it('searches with paging and a ranked order', async () => {
    await insert('The user plays the cello in a community orchestra.');
    await insert('The user is learning Portuguese.');
    await insert('Orchestra rehearsal is every Thursday; the cello needs new strings.');
    for (let index = 0; index < 4; index++) await insert(`Orchestra note ${index}`);

    const first = await call('GET', `/v1/agents/${agentId}/archival/search?q=cello%20strings&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      object: 'list',
      search_mode: 'text',
      total: 2,
      page: 1,
      pages: 1,
      page_size: 2,
    });
    const hits = first.body.data as PassageBody[];
    expect(hits[0]?.content).toBe('Orchestra rehearsal is every Thursday; the cello needs new strings.');

    const pages = await Promise.all(
      [1, 2, 3].map(async (page) => {
        const result = await call('GET', `/v1/agents/${agentId}/archival/search?q=orchestra&limit=2&page=${page}`);
        return result.body;
      }),
    );
    expect(pages.map((page) => page['total'])).toEqual([6, 6, 6]);
    expect(pages.map((page) => (page.data as PassageBody[]).length)).toEqual([2, 2, 2]);
    const seen = pages.flatMap((page) => (page.data as PassageBody[]).map((passage) => passage.id));
    expect(new Set(seen).size).toBe(6);

    const none = await call('GET', `/v1/agents/${agentId}/archival/search?q=saxophone`);
    expect(none.body).toMatchObject({ total: 0, pages: 0, data: [] });
  });

  it('deletes a passage (204), then 404 for it', async () => {
    const created = await insert('temporary note about umbrellas');
    const id = created.body['id'] as string;
    expect((await call('DELETE', `/v1/agents/${agentId}/archival/${id}`)).status).toBe(204);
    expect(await list()).toEqual([]);
    const again = await call('DELETE', `/v1/agents/${agentId}/archival/${id}`);
    expect(again.status).toBe(404);
    expect(again.body['error']).toMatchObject({ type: 'not_found_error' });
    const search = await call('GET', `/v1/agents/${agentId}/archival/search?q=umbrellas`);
    expect(search.body['total']).toBe(0);
  });

  it("answers 404 on every archival route for another user's agent, and changes nothing", async () => {
    const created = await insert('private: the safe code is 0000');
    const id = created.body['id'] as string;
    const attempts = [
      asBob('GET', `/v1/agents/${agentId}/archival`),
      asBob('POST', `/v1/agents/${agentId}/archival`, { content: 'planted' }),
      asBob('GET', `/v1/agents/${agentId}/archival/search?q=safe`),
      asBob('DELETE', `/v1/agents/${agentId}/archival/${id}`),
      asBob('GET', `/v1/agents/${agentId}/context`),
    ];
    for (const attempt of await Promise.all(attempts)) {
      expect(attempt.status).toBe(404);
      expect(attempt.body).toMatchObject({ detail: expect.any(String), error: { code: 'agent_not_found' } });
    }
    expect((await list()).map((passage) => passage.content)).toEqual(['private: the safe code is 0000']);
  });

  it('refuses bad input with 422 in the contract shape and stores nothing', async () => {
    const cases: [string, string, unknown, (string | number)[]][] = [
      ['POST', `/v1/agents/${agentId}/archival`, {}, ['body', 'content']],
      ['POST', `/v1/agents/${agentId}/archival`, { content: '   ' }, ['body', 'content']],
      ['POST', `/v1/agents/${agentId}/archival`, { content: 'x'.repeat(20_001) }, ['body', 'content']],
      ['POST', `/v1/agents/${agentId}/archival`, { content: 'ok', extra: 1 }, ['body', 'extra']],
      ['GET', `/v1/agents/${agentId}/archival/search`, undefined, ['query', 'q']],
      ['GET', `/v1/agents/${agentId}/archival/search?q=x&page=0`, undefined, ['query', 'page']],
      ['GET', `/v1/agents/${agentId}/archival?limit=0`, undefined, ['query', 'limit']],
    ];
    for (const [method, path, body, loc] of cases) {
      const result = await call(method, path, body);
      expect(result.status, `${method} ${path}`).toBe(422);
      expect((result.body['detail'] as { loc: unknown[] }[])[0]?.loc).toEqual(loc);
      expect(result.body['error']).toMatchObject({ type: 'invalid_request_error' });
    }
    expect(await list()).toEqual([]);
  });

  it('answers 404 for an unknown agent', async () => {
    const result = await call('GET', '/v1/agents/agent-unknown/archival');
    expect(result.status).toBe(404);
  });
});
