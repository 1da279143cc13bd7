import { rmSync } from 'node:fs';
import { sendMessage } from '@memgate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

const EMBEDDING_MODEL = 'mock-embedding-small';

describe('archival memory with embeddings, across restarts', () => {
  const harnesses: RestHarness[] = [];
  const dataDirs: string[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
    for (const dataDir of dataDirs.splice(0)) rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(options: Parameters<typeof startRestHarness>[0] = {}) {
    const harness = await startRestHarness({ embeddingModel: EMBEDDING_MODEL, keepData: true, ...options });
    harnesses.push(harness);
    dataDirs.push(harness.dataDir);
    return { harness, call: api(harness.baseUrl, harness.apiKey) };
  }

  it('embeds passages and queries through /v1/embeddings and ranks them hybrid', async () => {
    const { harness, call } = await start();
    const agentId = (await call('POST', '/v1/agents', {})).body['id'] as string;
    const created = await call('POST', `/v1/agents/${agentId}/archival`, {
      content: 'The user adopted a greyhound named Comet.',
    });
    expect(created.body['embedding_model']).toBe(EMBEDDING_MODEL);
    await call('POST', `/v1/agents/${agentId}/archival`, { content: 'The user dislikes cold weather.' });
    expect(harness.upstream.embeddingRequests.map((request) => [request.body.model, request.body.input])).toEqual([
      [EMBEDDING_MODEL, ['The user adopted a greyhound named Comet.']],
      [EMBEDDING_MODEL, ['The user dislikes cold weather.']],
    ]);

    const found = await call('GET', `/v1/agents/${agentId}/archival/search?q=${encodeURIComponent('greyhound Comet')}`);
    expect(found.body).toMatchObject({ search_mode: 'hybrid' });
    expect((found.body.data as { content: string }[])[0]?.content).toBe('The user adopted a greyhound named Comet.');
    expect(harness.upstream.embeddingRequests.at(-1)?.body.input).toEqual(['greyhound Comet']);
  });

  it('keeps passages inserted by the endpoint and by the agent tool across a restart, vectors included', async () => {
    const first = await start();
    const agentId = (await first.call('POST', '/v1/agents', {})).body['id'] as string;
    await first.call('POST', `/v1/agents/${agentId}/archival`, { content: 'Project Nightingale ships in March.' });
    first.harness.upstream.script(
      {
        toolCalls: [
          {
            name: 'archival_memory_insert',
            arguments: { content: 'The user prefers tea over coffee.', request_heartbeat: true },
          },
        ],
      },
      sendMessage('Noted in my archive.'),
    );
    const turn = await first.call('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'Remember: tea, never coffee.' }],
    });
    expect(turn.status).toBe(200);
    const keys = { apiKey: first.harness.apiKey, otherApiKey: first.harness.otherApiKey };
    const { dataDir } = first.harness;
    await first.harness.close();
    harnesses.splice(harnesses.indexOf(first.harness), 1);

    const second = await start({ reopen: { dataDir, keys } });
    const listed = (await second.call('GET', `/v1/agents/${agentId}/archival`)).body.data as { content: string }[];
    expect(listed.map((passage) => passage.content)).toEqual([
      'Project Nightingale ships in March.',
      'The user prefers tea over coffee.',
    ]);
    const found = await second.call('GET', `/v1/agents/${agentId}/archival/search?q=tea`);
    expect(found.body).toMatchObject({ search_mode: 'hybrid', total: 1 });
    // The vectors came back from disk: only the query was embedded after the restart.
    expect(second.harness.upstream.embeddingRequests.map((request) => request.body.input)).toEqual([['tea']]);
  });

  it('refuses an insert it cannot embed (502, nothing stored) and still searches by text', async () => {
    const { harness, call } = await start();
    const agentId = (await call('POST', '/v1/agents', {})).body['id'] as string;
    await call('POST', `/v1/agents/${agentId}/archival`, { content: 'Lighthouse keeper notes.' });
    await harness.upstream.close();

    const refused = await call('POST', `/v1/agents/${agentId}/archival`, { content: 'lost without a vector' });
    expect(refused.status).toBe(502);
    expect(refused.body['error']).toMatchObject({ type: 'upstream_error' });
    const found = await call('GET', `/v1/agents/${agentId}/archival/search?q=lighthouse`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ search_mode: 'text', total: 1 });
    expect((await call('GET', `/v1/agents/${agentId}/archival`)).body.data).toHaveLength(1);
  });
});
