import { describe, expect, it } from 'vitest';
import { commitUserMessages, ids, memoryBlock, newAgent, pendingCall, seedAgent, userMessage } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

/** Reading the history back: pages, the context window, and what deleting an agent leaves. */
export function describeHistory(harness: StoreHarness): void {
  /** Five messages m1..m5 for one agent, interleaved with another agent's messages. */
  async function seedHistory() {
    const { store } = harness;
    const { user, agent } = await seedAgent(store);
    const { agent: other } = await seedAgent(store);
    const [m1, m2] = await store.commitStep({
      agentId: agent.id,
      messages: [userMessage(agent.id, 'm1'), userMessage(agent.id, 'm2')],
    });
    const [o1] = await commitUserMessages(store, other.id, ['o1']);
    const [m3, m4] = await commitUserMessages(store, agent.id, ['m3', 'm4']);
    await commitUserMessages(store, other.id, ['o2']);
    const [m5] = await commitUserMessages(store, agent.id, ['m5']);
    const all = [m1!, m2!, m3!, m4!, m5!];
    return { store, user, agent, other, all, o1: o1! };
  }

  describe('listMessages', () => {
    it("returns the agent's own history oldest first", async () => {
      const { store, agent, all } = await seedHistory();
      expect(await store.listMessages(agent.id, { limit: 100 })).toEqual(all);
    });

    it('returns the newest `limit` messages, oldest first', async () => {
      const { store, agent, all } = await seedHistory();
      expect(ids(await store.listMessages(agent.id, { limit: 2 }))).toEqual(ids(all.slice(3)));
    });

    it('pages backwards with `before`', async () => {
      const { store, agent, all } = await seedHistory();
      const [, , , m4] = all;
      expect(ids(await store.listMessages(agent.id, { limit: 2, before: m4!.id }))).toEqual(ids(all.slice(1, 3)));
      expect(ids(await store.listMessages(agent.id, { limit: 10, before: m4!.id }))).toEqual(ids(all.slice(0, 3)));
      expect(await store.listMessages(agent.id, { limit: 10, before: all[0]!.id })).toEqual([]);

      const walked: string[] = [];
      let page = await store.listMessages(agent.id, { limit: 2 });
      while (page.length > 0) {
        walked.unshift(...ids(page));
        page = await store.listMessages(agent.id, { limit: 2, before: page[0]!.id });
      }
      expect(walked).toEqual(ids(all));
    });

    it('returns nothing for an unknown cursor or one from another agent', async () => {
      const { store, agent, o1 } = await seedHistory();
      expect(await store.listMessages(agent.id, { limit: 10, before: 'msg-unknown' })).toEqual([]);
      expect(await store.listMessages(agent.id, { limit: 10, before: o1.id })).toEqual([]);
      expect(await store.listMessages('agent-unknown', { limit: 10 })).toEqual([]);
    });
  });

  describe('listContextMessages', () => {
    it("returns the agent's messages in the context window, oldest first", async () => {
      const { store, agent, other, all } = await seedHistory();
      expect(await store.listContextMessages(agent.id)).toEqual(all);
      expect((await store.listContextMessages(other.id)).map((message) => message.content)).toEqual(['o1', 'o2']);
      expect(await store.listContextMessages('agent-unknown')).toEqual([]);
    });
  });

  describe('deleteAgent', () => {
    it('removes the messages and pending calls with the agent, and nothing of other agents', async () => {
      const { store, user, agent, other } = await seedHistory();
      await store.commitStep({ agentId: agent.id, messages: [], addPendingToolCalls: [pendingCall(agent.id)] });
      await store.commitStep({ agentId: other.id, messages: [], addPendingToolCalls: [pendingCall(other.id)] });

      expect(await store.deleteAgent(user.id, agent.id)).toBe(true);
      expect(await store.listMessages(agent.id, { limit: 100 })).toEqual([]);
      expect(await store.listContextMessages(agent.id)).toEqual([]);
      expect(await store.listPendingToolCalls(agent.id)).toEqual([]);
      expect(await store.listContextMessages(other.id)).toHaveLength(2);
      expect(await store.listPendingToolCalls(other.id)).toHaveLength(1);

      // A new agent that reuses the id starts empty: nothing of the old one was left behind.
      const reborn = newAgent(user.id, {
        id: agent.id,
        memory: [memoryBlock('persona', 'new', 100)],
      });
      await store.createAgent(reborn);
      expect(await store.getAgent(user.id, agent.id)).toEqual(reborn);
      expect(await store.listMessages(agent.id, { limit: 100 })).toEqual([]);
      expect(await store.listPendingToolCalls(agent.id)).toEqual([]);
    });
  });
}
