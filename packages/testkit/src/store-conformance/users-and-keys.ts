import { randomUUID } from 'node:crypto';
import type { ApiKeyRecord } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { commitUserMessages, expectMemgateError, newAgent, newUser, timestamp } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

function keyFor(userId: string, overrides: Partial<ApiKeyRecord> = {}) {
  return {
    id: `key-${randomUUID()}`,
    userId,
    prefix: 'mg-abcd',
    createdAt: timestamp(),
    scope: 'full' as const,
    expiresAt: null,
    lastUsedAt: null,
    ...overrides,
    keyHash: randomUUID(),
  };
}

/** The record a store returns for a key: everything but its hash. */
function withoutHash({ keyHash: _hash, ...record }: ReturnType<typeof keyFor>): ApiKeyRecord {
  return record;
}

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/** Users and API keys. */
export function describeUsersAndKeys(harness: StoreHarness): void {
  describe('users', () => {
    it('creates users and reads them back by id, by name and in the list', async () => {
      const { store } = harness;
      const alice = newUser('alice');
      const bob = newUser('bob');
      expect(await store.createUser(alice)).toEqual(alice);
      expect(await store.createUser(bob)).toEqual(bob);

      expect(await store.getUser(alice.id)).toEqual(alice);
      expect(await store.getUserByName('bob')).toEqual(bob);
      expect((await store.listUsers()).sort(byId)).toEqual([alice, bob].sort(byId));
    });

    it('answers null for an unknown user', async () => {
      await harness.store.createUser(newUser('alice'));
      expect(await harness.store.getUser('user-unknown')).toBeNull();
      expect(await harness.store.getUserByName('ALICE')).toBeNull();
    });

    it('refuses a second user with the same name with CONFLICT and keeps the first', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser('alice'));
      await expectMemgateError(store.createUser(newUser('alice')), 'CONFLICT');
      expect(await store.listUsers()).toEqual([alice]);
      expect(await store.getUserByName('alice')).toEqual(alice);
    });

    it('deletes a user with their keys, agents and history, and nobody else’s', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser('alice'));
      const bob = await store.createUser(newUser('bob'));
      const aliceKey = keyFor(alice.id);
      const bobKey = keyFor(bob.id);
      await store.createApiKey(aliceKey);
      await store.createApiKey(bobKey);
      const aliceAgent = await store.createAgent(newAgent(alice.id));
      const bobAgent = await store.createAgent(newAgent(bob.id));
      await commitUserMessages(store, aliceAgent.id, ['gone soon']);
      const bobMessages = await commitUserMessages(store, bobAgent.id, ['staying']);

      expect(await store.deleteUser(alice.id)).toBe(true);
      expect(await store.getUser(alice.id)).toBeNull();
      expect(await store.listUsers()).toEqual([bob]);
      expect(await store.findApiKeyByHash(aliceKey.keyHash)).toBeNull();
      expect(await store.listApiKeys(alice.id)).toEqual([]);
      expect(await store.listAgents(alice.id)).toEqual([]);
      expect(await store.listMessages(aliceAgent.id, { limit: 10 })).toEqual([]);

      expect(await store.findApiKeyByHash(bobKey.keyHash)).toEqual(withoutHash(bobKey));
      expect(await store.getAgent(bob.id, bobAgent.id)).toEqual(bobAgent);
      expect(await store.listMessages(bobAgent.id, { limit: 10 })).toEqual(bobMessages);

      expect(await store.deleteUser(alice.id)).toBe(false);
      expect(await store.deleteUser('user-unknown')).toBe(false);
      // The name is free again.
      await store.createUser(newUser('alice'));
    });
  });

  describe('api keys', () => {
    it('stores a key by its hash and returns the record without the hash', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const key = keyFor(user.id);
      // toStrictEqual: a returned `keyHash` property would fail this.
      expect(await store.createApiKey(key)).toStrictEqual(withoutHash(key));
      expect(await store.findApiKeyByHash(key.keyHash)).toStrictEqual(withoutHash(key));
      expect(await store.findApiKeyByHash('unknown-hash')).toBeNull();
    });

    it('keeps a key’s scope and expiry', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const key = keyFor(user.id, { scope: 'read', expiresAt: '2030-05-01T10:00:00.000Z' });
      expect(await store.createApiKey(key)).toStrictEqual(withoutHash(key));
      expect(await store.findApiKeyByHash(key.keyHash)).toMatchObject({
        scope: 'read',
        expiresAt: '2030-05-01T10:00:00.000Z',
        lastUsedAt: null,
      });
    });

    it('finds each key with its owner', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser());
      const bob = await store.createUser(newUser());
      const aliceKey = keyFor(alice.id);
      const bobKey = keyFor(bob.id);
      await store.createApiKey(aliceKey);
      await store.createApiKey(bobKey);
      expect((await store.findApiKeyByHash(aliceKey.keyHash))?.userId).toBe(alice.id);
      expect((await store.findApiKeyByHash(bobKey.keyHash))?.userId).toBe(bob.id);
    });

    it('lists a user’s keys, oldest first, without their hashes', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser());
      const bob = await store.createUser(newUser());
      const first = keyFor(alice.id, { createdAt: '2026-01-01T00:00:00.000Z' });
      const second = keyFor(alice.id, { createdAt: '2026-01-02T00:00:00.000Z', scope: 'read' });
      await store.createApiKey(second);
      await store.createApiKey(first);
      await store.createApiKey(keyFor(bob.id));

      const listed = await store.listApiKeys(alice.id);
      expect(listed).toStrictEqual([withoutHash(first), withoutHash(second)]);
      expect(await store.listApiKeys('user-unknown')).toEqual([]);
    });

    it('records when a key was last used, and ignores an unknown key', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const key = keyFor(user.id);
      const other = keyFor(user.id);
      await store.createApiKey(key);
      await store.createApiKey(other);
      await store.touchApiKey(key.id, '2026-03-01T08:00:00.000Z');
      await store.touchApiKey(key.id, '2026-03-01T08:01:00.000Z');
      await store.touchApiKey('key-unknown', '2026-03-01T08:00:00.000Z');

      expect((await store.findApiKeyByHash(key.keyHash))?.lastUsedAt).toBe('2026-03-01T08:01:00.000Z');
      expect((await store.findApiKeyByHash(other.keyHash))?.lastUsedAt).toBeNull();
      expect((await store.listApiKeys(user.id)).map((listed) => listed.lastUsedAt).sort()).toEqual([
        '2026-03-01T08:01:00.000Z',
        null,
      ]);
    });

    it('stops finding a deleted key, and only that key', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const doomed = keyFor(user.id);
      const kept = keyFor(user.id);
      await store.createApiKey(doomed);
      await store.createApiKey(kept);

      expect(await store.deleteApiKey(doomed.id)).toBe(true);
      expect(await store.findApiKeyByHash(doomed.keyHash)).toBeNull();
      expect((await store.findApiKeyByHash(kept.keyHash))?.userId).toBe(user.id);
      expect((await store.listApiKeys(user.id)).map((key) => key.id)).toEqual([kept.id]);
      expect(await store.deleteApiKey(doomed.id)).toBe(false);
      expect(await store.deleteApiKey('key-unknown')).toBe(false);
    });

    it('refuses two keys with the same hash with CONFLICT', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser());
      const bob = await store.createUser(newUser());
      const first = keyFor(alice.id);
      await store.createApiKey(first);
      await expectMemgateError(store.createApiKey({ ...keyFor(bob.id), keyHash: first.keyHash }), 'CONFLICT');
      expect((await store.findApiKeyByHash(first.keyHash))?.userId).toBe(alice.id);
    });

    it('refuses a key for a user that does not exist', async () => {
      const key = keyFor('user-unknown');
      await expect(harness.store.createApiKey(key)).rejects.toThrow();
      expect(await harness.store.findApiKeyByHash(key.keyHash)).toBeNull();
    });
  });
}
