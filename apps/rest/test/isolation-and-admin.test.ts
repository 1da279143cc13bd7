import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

describe('users, keys and agent isolation', () => {
  let harness: RestHarness;

  beforeAll(async () => {
    harness = await startRestHarness({ adminToken: ADMIN_TOKEN });
  });
  afterAll(() => harness.close());

  it("never shows or lets anyone use another user's agent (404)", async () => {
    const alice = api(harness.baseUrl, harness.apiKey);
    const bob = api(harness.baseUrl, harness.otherApiKey);
    const agentId = (await alice('POST', '/v1/agents', { name: 'private' })).body['id'] as string;
    expect((await bob('GET', `/v1/agents/${agentId}`)).status).toBe(404);
    expect((await bob('GET', `/v1/agents/${agentId}/messages`)).status).toBe(404);
    expect((await bob('GET', `/v1/agents/${agentId}/memory`)).status).toBe(404);
    expect((await bob('PUT', `/v1/agents/${agentId}/memory/human`, { value: 'hacked' })).status).toBe(404);
    expect((await bob('DELETE', `/v1/agents/${agentId}`)).status).toBe(404);
    const chat = await bob('POST', '/v1/chat/completions', {
      model: agentId,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.status).toBe(404);
    expect((await bob('GET', '/v1/agents')).body.data).toEqual([]);
    const models = (await bob('GET', '/v1/models')).body.data as { id: string }[];
    expect(models.map((model) => model.id)).not.toContain(agentId);
    // Still intact for its owner.
    expect((await alice('GET', `/v1/agents/${agentId}`)).status).toBe(200);
    expect((await alice('GET', `/v1/agents/${agentId}/memory`)).body['blocks']).toEqual(
      expect.arrayContaining([expect.objectContaining({ label: 'human', value: '' })]),
    );
  });

  it('lists agents and upstream models in the OpenAI list shape', async () => {
    const alice = api(harness.baseUrl, harness.apiKey);
    const agentId = (await alice('POST', '/v1/agents', { name: 'listed', model: 'mock-model' })).body['id'] as string;
    const models = (await alice('GET', '/v1/models')).body;
    expect(models['object']).toBe('list');
    const ids = (models.data as { id: string; object: string }[]).map((model) => model.id);
    expect(ids).toContain(agentId);
    expect(ids).toContain('mock-model');
    const agent = (await alice('GET', `/v1/agents/${agentId}`)).body;
    expect(agent).toMatchObject({ id: agentId, name: 'listed', model: 'mock-model' });
    expect((agent['memory'] as { blocks: { label: string }[] }).blocks.map((block) => block.label)).toEqual([
      'persona',
      'human',
    ]);
    expect((await alice('DELETE', `/v1/agents/${agentId}`)).status).toBe(204);
    expect((await alice('GET', `/v1/agents/${agentId}`)).status).toBe(404);
  });

  it('manages users and keys through the admin API; a deleted key stops working at once', async () => {
    const admin = api(harness.baseUrl, ADMIN_TOKEN);
    expect((await api(harness.baseUrl, harness.apiKey)('GET', '/v1/admin/users')).status).toBe(401);
    const created = await admin('POST', '/v1/admin/users', { name: 'carol' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'carol' });
    expect((await admin('POST', '/v1/admin/users', { name: 'carol' })).status).toBe(409);
    expect((await admin('POST', '/v1/admin/users', { name: '' })).status).toBe(422);
    const users = (await admin('GET', '/v1/admin/users')).body.data as { name: string }[];
    expect(users.map((user) => user.name)).toEqual(expect.arrayContaining(['alice', 'bob', 'carol']));

    const key = await admin('POST', `/v1/admin/users/${created.body['id']}/api-keys`);
    expect(key.status).toBe(201);
    const carol = api(harness.baseUrl, key.body['key'] as string);
    expect((await carol('GET', '/v1/agents')).status).toBe(200);
    expect((await admin('DELETE', `/v1/admin/api-keys/${key.body['id']}`)).status).toBe(204);
    expect((await carol('GET', '/v1/agents')).status).toBe(401);
    expect((await admin('DELETE', `/v1/admin/api-keys/${key.body['id']}`)).status).toBe(404);
    expect((await admin('POST', '/v1/admin/users/user-missing/api-keys')).status).toBe(404);
  });

  it('answers /healthz and /readyz without auth', async () => {
    const anonymous = api(harness.baseUrl, null);
    expect((await anonymous('GET', '/healthz')).status).toBe(200);
    const ready = await anonymous('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body['llm']).toMatch(/openai-compatible/);
  });
});

describe('the admin API without MEMGATE_ADMIN_TOKEN', () => {
  it('does not exist', async () => {
    const harness = await startRestHarness();
    try {
      const response = await api(harness.baseUrl, 'anything-at-all-here')('GET', '/v1/admin/users');
      expect(response.status).toBe(404);
    } finally {
      await harness.close();
    }
  });
});
