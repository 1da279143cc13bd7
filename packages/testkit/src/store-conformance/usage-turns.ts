import type { Store, UsageGroupBy, UsageRecord } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { seedAgent, userMessage } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';
import { usageRecord } from './usage-records.ts';

const MARCH = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };

/** [key, calls, turns] of each group: the sums' groups, with the turns counted apart (0 when absent). */
async function turnsBy(store: Store, userId: string | null, groupBy: UsageGroupBy) {
  const query = { userId, groupBy, ...MARCH };
  const [groups, turns] = await Promise.all([store.summariseUsage(query), store.countUsageTurns(query)]);
  // Every group the turns name is a group of the sums.
  expect(groups.map((group) => group.key)).toEqual(expect.arrayContaining(turns.groups.map((group) => group.key)));
  const turnsOf = new Map(turns.groups.map((group) => [group.key, group.turns]));
  return groups.map((group) => [group.key, group.calls, turnsOf.get(group.key) ?? 0]);
}

/** The turns of the range, once each, as every grouping reports them. */
async function totalTurns(store: Store, userId: string | null): Promise<number> {
  const groupings: UsageGroupBy[] = ['agent', 'key', 'model', 'day'];
  const totals = await Promise.all(
    groupings.map(async (groupBy) => (await store.countUsageTurns({ userId, groupBy, ...MARCH })).total),
  );
  expect(new Set(totals).size).toBe(1);
  return totals[0] ?? -1;
}

/** Usage records count turns: distinct non-null turn ids per group and over a range. */
export function describeUsageTurns(harness: StoreHarness): void {
  describe('usage turns', () => {
    it('counts a turn of several calls once, per group and in total; calls outside a turn count none', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const call = (at: string, overrides: Partial<UsageRecord> = {}) =>
        usageRecord(user.id, { agentId: agent.id, at, ...overrides });
      await store.recordUsage([
        // One turn of three calls: a step, a summary, and a step that fell back to another model.
        call('2026-03-01T10:00:00.000Z', { turnId: 'chatcmpl-a' }),
        call('2026-03-01T10:00:01.000Z', { turnId: 'chatcmpl-a', purpose: 'summary' }),
        call('2026-03-01T10:00:02.000Z', { turnId: 'chatcmpl-a', model: 'other/model', outcome: 'timeout' }),
        // The next day: a turn of one call, and an archival request's embedding (no turn).
        call('2026-03-02T09:00:00.000Z', { turnId: 'chatcmpl-b' }),
        call('2026-03-02T09:30:00.000Z', { purpose: 'embedding' }),
        // Outside the range: not counted.
        call('2026-02-28T23:59:59.999Z', { turnId: 'chatcmpl-old' }),
      ]);
      expect(await turnsBy(store, user.id, 'day')).toEqual([
        ['2026-03-01', 3, 1],
        ['2026-03-02', 2, 1],
      ]);
      // The fallback's model is a group of its own: the turn counts in both.
      expect(await turnsBy(store, user.id, 'model')).toEqual([
        ['gpt-test', 4, 2],
        ['other/model', 1, 1],
      ]);
      expect(await turnsBy(store, user.id, 'agent')).toEqual([[agent.id, 5, 2]]);
      expect(await totalTurns(store, user.id)).toBe(2);
    });

    it('counts a turn that spans midnight in both days, and once over the range', async () => {
      const { store } = harness;
      const { user } = await seedAgent(store);
      await store.recordUsage([
        usageRecord(user.id, { at: '2026-03-03T23:59:59.999Z', turnId: 'chatcmpl-late' }),
        usageRecord(user.id, { at: '2026-03-04T00:00:00.000Z', turnId: 'chatcmpl-late' }),
      ]);
      expect(await turnsBy(store, user.id, 'day')).toEqual([
        ['2026-03-03', 1, 1],
        ['2026-03-04', 1, 1],
      ]);
      expect(await totalTurns(store, user.id)).toBe(1);
    });

    it('counts no turn for records without one (those written before turns were kept)', async () => {
      const { store } = harness;
      const { user } = await seedAgent(store);
      await store.recordUsage([usageRecord(user.id), usageRecord(user.id, { at: '2026-03-05T00:00:00.000Z' })]);
      expect(await turnsBy(store, user.id, 'day')).toEqual([
        ['2026-03-01', 1, 0],
        ['2026-03-05', 1, 0],
      ]);
      expect(await totalTurns(store, user.id)).toBe(0);
      // No group has a turn: none is listed.
      expect(await store.countUsageTurns({ userId: user.id, groupBy: 'day', ...MARCH })).toEqual({
        groups: [],
        total: 0,
      });
    });

    it("keeps the turn id of records written with a step, and keeps users' turns apart", async () => {
      const { store } = harness;
      const first = await seedAgent(store);
      const second = await seedAgent(store);
      await store.commitStep({
        agentId: first.agent.id,
        messages: [userMessage(first.agent.id, 'hello')],
        usage: [
          usageRecord(first.user.id, { turnId: 'chatcmpl-1' }),
          usageRecord(first.user.id, { turnId: 'chatcmpl-1', purpose: 'embedding' }),
        ],
      });
      await store.recordUsage([usageRecord(second.user.id, { turnId: 'chatcmpl-2' })]);
      expect(await turnsBy(store, first.user.id, 'key')).toEqual([['key-1', 2, 1]]);
      expect(await totalTurns(store, first.user.id)).toBe(1);
      expect(await totalTurns(store, second.user.id)).toBe(1);
      expect(await totalTurns(store, null)).toBe(2);
      expect(await turnsBy(store, null, 'key')).toEqual([['key-1', 3, 2]]);
    });
  });
}
