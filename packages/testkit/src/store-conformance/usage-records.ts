import { randomUUID } from 'node:crypto';
import type { Store, UsageRecord } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { expectMemgateError, seedAgent, userMessage } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

/** A usage record of `userId`, made outside a turn unless `overrides` give it a `turnId`. */
export function usageRecord(userId: string, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id: `usage-${randomUUID()}`,
    at: '2026-03-01T10:00:00.000Z',
    userId,
    keyId: 'key-1',
    agentId: 'agent-1',
    conversationId: null,
    turnId: null,
    model: 'gpt-test',
    provider: 'default',
    purpose: 'step',
    promptTokens: 100,
    cachedTokens: 20,
    completionTokens: 10,
    costUsd: 0.5,
    latencyMs: 40,
    outcome: 'ok',
    ...overrides,
  };
}

const MARCH = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };

async function everything(store: Store, userId: string | null) {
  return store.summariseUsage({
    userId,
    groupBy: 'model',
    from: '2000-01-01T00:00:00.000Z',
    to: '2100-01-01T00:00:00.000Z',
  });
}

/** Usage records: written alone or with a step (atomically), summed per group over a range, per user. */
export function describeUsageRecords(harness: StoreHarness): void {
  describe('usage records', () => {
    it('sums records per group in a range, failed calls counted, unpriced ones adding no cost', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      await store.recordUsage([
        usageRecord(user.id, { agentId: agent.id }),
        usageRecord(user.id, { agentId: agent.id, at: '2026-03-02T23:59:59.999Z', costUsd: null, outcome: 'timeout' }),
        usageRecord(user.id, {
          agentId: null,
          keyId: null,
          model: 'other/model',
          provider: 'other',
          purpose: 'embedding',
        }),
        // Outside the range on both sides.
        usageRecord(user.id, { at: '2026-02-28T23:59:59.999Z' }),
        usageRecord(user.id, { at: '2026-04-01T00:00:00.000Z' }),
      ]);
      const byAgent = await store.summariseUsage({ userId: user.id, groupBy: 'agent', ...MARCH });
      expect(byAgent).toEqual([
        {
          key: agent.id,
          calls: 2,
          failedCalls: 1,
          promptTokens: 200,
          cachedTokens: 40,
          completionTokens: 20,
          costUsd: 0.5,
        },
        {
          key: null,
          calls: 1,
          failedCalls: 0,
          promptTokens: 100,
          cachedTokens: 20,
          completionTokens: 10,
          costUsd: 0.5,
        },
      ]);
      const byDay = await store.summariseUsage({ userId: user.id, groupBy: 'day', ...MARCH });
      expect(byDay.map((group) => [group.key, group.calls])).toEqual([
        ['2026-03-01', 2],
        ['2026-03-02', 1],
      ]);
      const byKey = await store.summariseUsage({ userId: user.id, groupBy: 'key', ...MARCH });
      expect(byKey.map((group) => [group.key, group.calls])).toEqual([
        ['key-1', 2],
        [null, 1],
      ]);
      const byModel = await store.summariseUsage({ userId: user.id, groupBy: 'model', ...MARCH });
      expect(byModel.map((group) => [group.key, group.calls])).toEqual([
        ['gpt-test', 2],
        ['other/model', 1],
      ]);
    });

    it("keeps users apart, and sums every user's for a query of all users", async () => {
      const { store } = harness;
      const first = await seedAgent(store);
      const second = await seedAgent(store);
      await store.recordUsage([usageRecord(first.user.id), usageRecord(second.user.id, { promptTokens: 7 })]);
      expect((await everything(store, first.user.id)).map((group) => group.promptTokens)).toEqual([100]);
      expect((await everything(store, second.user.id)).map((group) => group.promptTokens)).toEqual([7]);
      expect((await everything(store, null)).map((group) => group.promptTokens)).toEqual([107]);
    });

    it('writes a step’s records with the step, and none of them when the step fails', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      await store.commitStep({
        agentId: agent.id,
        messages: [userMessage(agent.id, 'hello')],
        usage: [usageRecord(user.id, { agentId: agent.id }), usageRecord(user.id, { purpose: 'summary' })],
      });
      expect((await everything(store, user.id))[0]?.calls).toBe(2);
      // A step for a memory block the agent lacks fails whole: its usage is not written either.
      await expectMemgateError(
        store.commitStep({
          agentId: agent.id,
          messages: [userMessage(agent.id, 'again')],
          memory: [{ label: 'no-such-block', value: 'x' }],
          usage: [usageRecord(user.id)],
        }),
        'NOT_FOUND',
      );
      expect((await everything(store, user.id))[0]?.calls).toBe(2);
    });

    it('writes records alone all or none, and keeps them when their agent is deleted but not their user', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const kept = usageRecord(user.id, { agentId: agent.id });
      await store.recordUsage([kept]);
      await expectMemgateError(store.recordUsage([usageRecord(user.id), { ...kept }]), 'CONFLICT');
      expect((await everything(store, user.id))[0]?.calls).toBe(1);
      expect(await store.deleteAgent(user.id, agent.id)).toBe(true);
      expect((await everything(store, user.id))[0]?.calls).toBe(1);
      expect(await store.deleteUser(user.id)).toBe(true);
      expect(await everything(store, user.id)).toEqual([]);
    });
  });
}
