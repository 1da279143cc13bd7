import type { Store } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { commitUserMessages, ids, newPassage, seedAgent, timestamp, userMessage } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

async function windowOf(store: Store, agentId: string) {
  return {
    context: ids(await store.listContextMessages(agentId)),
    summary: await store.getContextSummary(agentId),
    passages: ids(await store.listPassages(agentId, { limit: 100 })),
  };
}

/** Moving the context window with its summary, token counts, and passages in a step. */
export function describeContextWindow(harness: StoreHarness): void {
  describe('context window and summary', () => {
    it('moves the window start with the summary in one step; the history keeps everything', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const all = await commitUserMessages(store, agent.id, ['one', 'two', 'three', 'four']);
      expect(await store.getContextSummary(agent.id)).toBeNull();

      const summary = { text: 'The user counted to two.', messageCount: 2, updatedAt: timestamp() };
      const [five] = await store.commitStep({
        agentId: agent.id,
        messages: [userMessage(agent.id, 'five')],
        contextStartSeq: all[2]!.seq,
        summary,
      });
      expect(await store.getContextSummary(agent.id)).toEqual(summary);
      expect(ids(await store.listContextMessages(agent.id))).toEqual(ids([all[2]!, all[3]!, five!]));
      expect(await store.listMessages(agent.id, { limit: 10 })).toHaveLength(5);

      const reopened = await harness.reopen();
      expect(await reopened.getContextSummary(agent.id)).toEqual(summary);
      expect(ids(await reopened.listContextMessages(agent.id))).toEqual(ids([all[2]!, all[3]!, five!]));
    });

    it('changes neither window, summary nor passages when the step fails', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const all = await commitUserMessages(store, agent.id, ['one', 'two']);
      const before = await windowOf(store, agent.id);
      const step = {
        agentId: agent.id,
        messages: [],
        passages: [newPassage(agent.id, 'remember this')],
        contextStartSeq: all[1]!.seq,
        summary: { text: 'one', messageCount: 1, updatedAt: timestamp() },
        memory: [{ label: 'missing', value: 'x' }],
      };
      await expect(store.commitStep(step)).rejects.toThrow();
      expect(await windowOf(store, agent.id)).toEqual(before);
      await store.commitStep({ ...step, memory: [] });
      expect(await windowOf(store, agent.id)).toEqual({
        context: [all[1]!.id],
        summary: step.summary,
        passages: [step.passages[0]!.id],
      });
    });

    it('keeps the token count of each message', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const [counted, uncounted] = await store.commitStep({
        agentId: agent.id,
        messages: [userMessage(agent.id, 'hello there', { tokenCount: 7 }), userMessage(agent.id, 'no count')],
      });
      expect(counted?.tokenCount).toBe(7);
      expect(uncounted?.tokenCount).toBeUndefined();
      const [readCounted, readUncounted] = await store.listContextMessages(agent.id);
      expect(readCounted).toEqual(counted);
      expect(readUncounted).toEqual(uncounted);
    });
  });
}
