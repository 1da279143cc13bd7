import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

const ADMIN_TOKEN = 'admin-token-for-key-tests-0123456789';

interface ErrorBody {
  detail: unknown;
  error: { message: string; type: string; param: string | null; code: string };
}

describe('API keys: scope, expiry, listing, and deleting users', () => {
  let harness: RestHarness;
  let admin: ReturnType<typeof api>;

  beforeAll(async () => {
    harness = await startRestHarness({ adminToken: ADMIN_TOKEN });
    admin = api(harness.baseUrl, ADMIN_TOKEN);
  });
  afterAll(() => harness.close());

  async function newUser(name: string): Promise<string> {
    const created = await admin('POST', '/v1/admin/users', { name });
    expect(created.status).toBe(201);
    return created.body['id'] as string;
  }

  it('lets a read-only key read agents, messages and memory, and refuses every turn and write with 403', async () => {
    const alice = api(harness.baseUrl, harness.apiKey);
    const reader = api(harness.baseUrl, harness.readApiKey);
    const agentId = (await alice('POST', '/v1/agents', { name: 'read me' })).body['id'] as string;
    await alice('POST', `/v1/agents/${agentId}/archival`, { content: 'a kept passage' });

    expect((await reader('GET', '/v1/agents')).body.data).toEqual([expect.objectContaining({ id: agentId })]);
    expect((await reader('GET', `/v1/agents/${agentId}`)).status).toBe(200);
    expect((await reader('GET', `/v1/agents/${agentId}/messages`)).status).toBe(200);
    expect((await reader('GET', `/v1/agents/${agentId}/memory`)).status).toBe(200);
    expect((await reader('GET', `/v1/agents/${agentId}/archival`)).body.data).toHaveLength(1);
    expect((await reader('GET', '/v1/models')).status).toBe(200);

    const refused: [string, string, unknown][] = [
      ['POST', '/v1/agents', { name: 'nope' }],
      ['DELETE', `/v1/agents/${agentId}`, undefined],
      ['PUT', `/v1/agents/${agentId}/memory/human`, { value: 'changed' }],
      ['POST', `/v1/agents/${agentId}/archival`, { content: 'nope' }],
      ['POST', '/v1/chat/completions', { model: agentId, messages: [{ role: 'user', content: 'hi' }] }],
      ['POST', '/v1/chat/completions', { model: agentId, stream: true, messages: [{ role: 'user', content: 'hi' }] }],
      // Even a malformed write is refused for its scope first.
      ['POST', '/v1/chat/completions', { messages: 'not a list' }],
    ];
    for (const [method, path, body] of refused) {
      const response = await reader(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      const error = response.body as unknown as ErrorBody;
      expect(error.error).toMatchObject({ type: 'permission_error', code: 'insufficient_scope' });
      expect(error.detail).toMatch(/read-only/);
    }
    const passages = (await reader('GET', `/v1/agents/${agentId}/archival`)).body.data as { id: string }[];
    expect((await reader('DELETE', `/v1/agents/${agentId}/archival/${passages[0]?.id}`)).status).toBe(403);

    // Nothing changed.
    expect((await alice('GET', '/v1/agents')).body.data).toHaveLength(1);
    expect((await alice('GET', `/v1/agents/${agentId}/messages`)).body.data).toEqual([]);
    expect((await alice('GET', `/v1/agents/${agentId}/archival`)).body.data).toHaveLength(1);
    expect(harness.upstream.requests).toHaveLength(0);
    expect((await alice('DELETE', `/v1/agents/${agentId}`)).status).toBe(204);
  });

  it('creates keys with a scope and an expiry, and lists them without their secrets', async () => {
    const userId = await newUser('dora');
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const full = await admin('POST', `/v1/admin/users/${userId}/api-keys`);
    expect(full.status).toBe(201);
    expect(full.body).toMatchObject({ user_id: userId, scope: 'full', expires_at: null });
    const read = await admin('POST', `/v1/admin/users/${userId}/api-keys`, {
      scope: 'read',
      expires_at: expiresAt.replace('Z', '+00:00'),
    });
    expect(read.status).toBe(201);
    expect(read.body).toMatchObject({ scope: 'read', expires_at: expiresAt });
    expect(String(read.body['key']).startsWith(String(read.body['prefix']))).toBe(true);

    const before = await admin('GET', `/v1/admin/users/${userId}/api-keys`);
    expect(before.status).toBe(200);
    expect(before.body['object']).toBe('list');
    expect(before.body.data).toEqual([
      {
        id: full.body['id'],
        user_id: userId,
        prefix: full.body['prefix'],
        created_at: full.body['created_at'],
        last_used_at: null,
        expires_at: null,
        scope: 'full',
      },
      expect.objectContaining({ id: read.body['id'], scope: 'read', expires_at: expiresAt, last_used_at: null }),
    ]);
    expect(JSON.stringify(before.body)).not.toContain(full.body['key']);
    expect(JSON.stringify(before.body)).not.toContain(read.body['key']);

    // A use is recorded (to the minute, off the request's path).
    const started = Date.now();
    expect((await api(harness.baseUrl, full.body['key'] as string)('GET', '/v1/agents')).status).toBe(200);
    await expect
      .poll(async () => {
        const keys = (await admin('GET', `/v1/admin/users/dora/api-keys`)).body.data as {
          last_used_at: string | null;
        }[];
        return keys[0]?.last_used_at ?? null;
      })
      .not.toBeNull();
    const listed = (await admin('GET', `/v1/admin/users/${userId}/api-keys`)).body.data as { last_used_at: string }[];
    expect(Date.parse(listed[0]!.last_used_at)).toBeGreaterThanOrEqual(started - 1000);
    expect(listed[1]?.last_used_at).toBeNull();

    expect((await admin('GET', '/v1/admin/users/user-missing/api-keys')).status).toBe(404);
  });

  it('refuses a bad scope or an expiry that is not in the future with 422, creating nothing', async () => {
    const userId = await newUser('erin');
    const cases: unknown[] = [
      { scope: 'admin' },
      { expires_at: new Date(Date.now() - 1000).toISOString() },
      { expires_at: 'tomorrow' },
      { expires_at: 1_900_000_000 },
      { unknown: true },
    ];
    for (const body of cases) {
      const response = await admin('POST', `/v1/admin/users/${userId}/api-keys`, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((response.body as unknown as ErrorBody).error.type).toBe('invalid_request_error');
    }
    const past = await admin('POST', `/v1/admin/users/${userId}/api-keys`, { expires_at: '2001-01-01T00:00:00Z' });
    expect((past.body as unknown as ErrorBody).error.param).toBe('expires_at');
    expect((await admin('GET', `/v1/admin/users/${userId}/api-keys`)).body.data).toEqual([]);
  });

  it('answers 401 for an expired key, in the contract error shape', async () => {
    const userId = await newUser('fred');
    const expiresAt = new Date(Date.now() + 600).toISOString();
    const created = await admin('POST', `/v1/admin/users/${userId}/api-keys`, { expires_at: expiresAt });
    const fred = api(harness.baseUrl, created.body['key'] as string);
    expect((await fred('GET', '/v1/agents')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 20));
    const expired = await fred('GET', '/v1/agents');
    expect(expired.status).toBe(401);
    expect((expired.body as unknown as ErrorBody).error).toMatchObject({
      type: 'authentication_error',
      code: 'invalid_api_key',
    });
    expect((expired.body as unknown as ErrorBody).detail).toMatch(/expired/);
  });

  it('deletes a user: 409 while they have agents, everything with force=true, 404 after', async () => {
    const userId = await newUser('gina');
    const key = (await admin('POST', `/v1/admin/users/${userId}/api-keys`)).body['key'] as string;
    const gina = api(harness.baseUrl, key);
    const agentId = (await gina('POST', '/v1/agents', { name: 'kept' })).body['id'] as string;

    const refused = await admin('DELETE', `/v1/admin/users/${userId}`);
    expect(refused.status).toBe(409);
    expect((refused.body as unknown as ErrorBody).error.code).toBe('user_has_agents');
    expect((await gina('GET', `/v1/agents/${agentId}`)).status).toBe(200);
    expect((await admin('DELETE', `/v1/admin/users/${userId}?force=maybe`)).status).toBe(422);

    expect((await admin('DELETE', `/v1/admin/users/${userId}?force=true`)).status).toBe(204);
    expect((await gina('GET', '/v1/agents')).status).toBe(401);
    const users = (await admin('GET', '/v1/admin/users')).body.data as { id: string }[];
    expect(users.map((user) => user.id)).not.toContain(userId);
    expect((await admin('DELETE', `/v1/admin/users/${userId}`)).status).toBe(404);

    // A user without agents goes without force.
    const hank = await newUser('hank');
    expect((await admin('DELETE', `/v1/admin/users/${hank}`)).status).toBe(204);
    // The admin API needs the admin token.
    expect((await api(harness.baseUrl, harness.apiKey)('DELETE', `/v1/admin/users/${hank}`)).status).toBe(401);
  });
});
