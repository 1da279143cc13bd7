import { randomUUID } from 'node:crypto';
import type { Limits, LimitsRecord } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { newUser, timestamp } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

const LIMITS: Limits = {
  rpm: 60,
  tpm: 100_000,
  maxConcurrentTurns: 4,
  budget: { usd: 12.5, period: 'month' },
  exempt: false,
};

function keyRecord(userId: string) {
  return {
    id: `key-${randomUUID()}`,
    userId,
    prefix: 'mg-abcd',
    createdAt: timestamp(),
    scope: 'full' as const,
    expiresAt: null,
    lastUsedAt: null,
    keyHash: randomUUID(),
  };
}

/** Limits of users and keys (migration 12): set, replaced, read in one call for several subjects, deleted. */
export function describeLimits(harness: StoreHarness): void {
  describe('limits', () => {
    it('sets, replaces, reads and deletes the limits of a user and of a key', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const key = keyRecord(user.id);
      await store.createApiKey(key);
      const { keyHash: _hash, ...withoutHash } = key;
      expect(await store.getApiKey(key.id)).toStrictEqual(withoutHash);
      expect(await store.getApiKey('key-unknown')).toBeNull();
      expect(await store.getLimits([user.id, key.id])).toEqual([]);

      const userLimits: LimitsRecord = {
        subject: user.id,
        userId: user.id,
        keyId: null,
        limits: LIMITS,
        updatedAt: timestamp(),
      };
      const keyLimits: LimitsRecord = {
        subject: key.id,
        userId: user.id,
        keyId: key.id,
        limits: { ...LIMITS, rpm: null, budget: { tokens: 5000, period: 'day' } },
        updatedAt: timestamp(),
      };
      await store.setLimits(userLimits);
      await store.setLimits(keyLimits);
      const both = await store.getLimits([user.id, key.id, 'user-unknown']);
      expect(both.sort((a, b) => a.subject.localeCompare(b.subject))).toEqual(
        [userLimits, keyLimits].sort((a, b) => a.subject.localeCompare(b.subject)),
      );

      const replaced = { ...userLimits, limits: { ...LIMITS, rpm: 5, exempt: true }, updatedAt: timestamp() };
      await store.setLimits(replaced);
      expect(await store.getLimits([user.id])).toEqual([replaced]);

      expect(await store.deleteLimits(user.id)).toBe(true);
      expect(await store.deleteLimits(user.id)).toBe(false);
      expect(await store.getLimits([user.id, key.id])).toEqual([keyLimits]);
    });

    it('drops a key’s limits with the key, and a user’s with the user', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const key = keyRecord(user.id);
      await store.createApiKey(key);
      await store.setLimits({ subject: user.id, userId: user.id, keyId: null, limits: LIMITS, updatedAt: timestamp() });
      await store.setLimits({
        subject: key.id,
        userId: user.id,
        keyId: key.id,
        limits: LIMITS,
        updatedAt: timestamp(),
      });
      await store.deleteApiKey(key.id);
      expect((await store.getLimits([user.id, key.id])).map((record) => record.subject)).toEqual([user.id]);
      await store.deleteUser(user.id);
      expect(await store.getLimits([user.id])).toEqual([]);
    });
  });
}
