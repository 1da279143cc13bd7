import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commitUserMessages, pendingCall, seedAgent, timestamp } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

/** What must survive closing the store, and how a store reports that it cannot serve. */
export function describeDurability(harness: StoreHarness): void {
  describe('durability and lifecycle', () => {
    it('keeps everything it acknowledged across close and reopen', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const keyHash = randomUUID();
      const key = await store.createApiKey({
        id: `key-${randomUUID()}`,
        userId: user.id,
        prefix: 'mg-1',
        createdAt: timestamp(),
        keyHash,
        scope: 'read',
        expiresAt: '2099-01-01T00:00:00.000Z',
        lastUsedAt: null,
      });
      await store.touchApiKey(key.id, '2026-06-01T12:00:00.000Z');
      const call = pendingCall(agent.id);
      const stored = await commitUserMessages(store, agent.id, ['remember me', 'and me']);
      await store.commitStep({
        agentId: agent.id,
        messages: [],
        memory: [{ label: 'human', value: 'Name: Ada' }],
        addPendingToolCalls: [call],
      });

      const reopened = await harness.reopen();
      expect(await reopened.getUser(user.id)).toEqual(user);
      expect(await reopened.findApiKeyByHash(keyHash)).toEqual({ ...key, lastUsedAt: '2026-06-01T12:00:00.000Z' });
      expect((await reopened.getAgent(user.id, agent.id))?.memory[1]).toEqual({
        ...agent.memory[1],
        value: 'Name: Ada',
        version: 2,
      });
      expect(await reopened.listMessages(agent.id, { limit: 10 })).toEqual(stored);
      expect(await reopened.listContextMessages(agent.id)).toEqual(stored);
      expect(await reopened.listPendingToolCalls(agent.id)).toEqual([call]);

      // seq keeps growing after a reopen: the history order never goes back.
      const [next] = await commitUserMessages(reopened, agent.id, ['after reopen']);
      expect(next?.seq).toBeGreaterThan(stored.at(-1)?.seq ?? Number.POSITIVE_INFINITY);
    });

    it('migrates again without harm', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      await store.migrate();
      await store.migrate();
      expect(await store.getAgent(user.id, agent.id)).toEqual(agent);
    });

    it('answers ping while open and rejects it once closed', async () => {
      const { store } = harness;
      await expect(store.ping()).resolves.toBeUndefined();
      await harness.close();
      await expect(store.ping()).rejects.toThrow();
    });
  });
}
