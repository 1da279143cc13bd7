import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectMemgateError, newUser, timestamp } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

function keyFor(userId: string) {
  return { id: `key-${randomUUID()}`, userId, prefix: 'mg-abcd', createdAt: timestamp(), keyHash: randomUUID() };
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
  });

  describe('api keys', () => {
    it('stores a key by its hash and returns the record without the hash', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const { keyHash, ...record } = keyFor(user.id);
      // toStrictEqual: a returned `keyHash` property would fail this.
      expect(await store.createApiKey({ ...record, keyHash })).toStrictEqual(record);
      expect(await store.findUserIdByKeyHash(keyHash)).toBe(user.id);
      expect(await store.findUserIdByKeyHash('unknown-hash')).toBeNull();
    });

    it('finds each key owner', async () => {
      const { store } = harness;
      const alice = await store.createUser(newUser());
      const bob = await store.createUser(newUser());
      const aliceKey = keyFor(alice.id);
      const bobKey = keyFor(bob.id);
      await store.createApiKey(aliceKey);
      await store.createApiKey(bobKey);
      expect(await store.findUserIdByKeyHash(aliceKey.keyHash)).toBe(alice.id);
      expect(await store.findUserIdByKeyHash(bobKey.keyHash)).toBe(bob.id);
    });

    it('stops finding a deleted key, and only that key', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const doomed = keyFor(user.id);
      const kept = keyFor(user.id);
      await store.createApiKey(doomed);
      await store.createApiKey(kept);

      expect(await store.deleteApiKey(doomed.id)).toBe(true);
      expect(await store.findUserIdByKeyHash(doomed.keyHash)).toBeNull();
      expect(await store.findUserIdByKeyHash(kept.keyHash)).toBe(user.id);
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
      expect(await store.findUserIdByKeyHash(first.keyHash)).toBe(alice.id);
    });

    it('refuses a key for a user that does not exist', async () => {
      const key = keyFor('user-unknown');
      await expect(harness.store.createApiKey(key)).rejects.toThrow();
      expect(await harness.store.findUserIdByKeyHash(key.keyHash)).toBeNull();
    });
  });
}
