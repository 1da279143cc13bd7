import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessEventBus, InProcessLimitCounters, LimitService } from '@memgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';

const root = mkdtempSync(join(tmpdir(), 'memgate-limit-cache-'));
const store = new SqliteStore({ filename: join(root, 'limits.sqlite') });
afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

/** A limit service over the shared store with a bus of its own: what the server and the CLI each have without Redis. */
function service(cacheMs?: number): LimitService {
  return new LimitService({
    store,
    counters: new InProcessLimitCounters(),
    events: new InProcessEventBus(),
    defaults: null,
    leaseMs: 60_000,
    ...(cacheMs !== undefined && { cacheMs }),
  });
}

describe('cached limits', () => {
  beforeAll(async () => {
    await store.migrate();
    await store.createUser({ id: 'user-1', name: 'ada', createdAt: new Date().toISOString() });
  });

  it('see a change no event announced (the CLI without Redis) once the cache time has passed', async () => {
    const server = service(200);
    const principal = { userId: 'user-1', keyId: 'key-none' };
    expect(await server.admit(principal)).toBeNull();
    await service().setUserLimits('user-1', { rpm: 1 });
    // Still the limits it read: nothing told this instance.
    expect(await server.admit(principal)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const admitted = await server.admit(principal);
    expect(admitted).not.toBeNull();
    await admitted?.release();
    await expect(server.admit(principal)).rejects.toMatchObject({ code: 'RATE_LIMITED', detailCode: 'rate_limited' });
  });
});
