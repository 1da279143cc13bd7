import type { Store } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { newConversation } from './conversations.ts';
import { ids, pendingCall, seedAgent, timestamp, toolCall, toolCallMessage, userMessage } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

/** Commits one single-message step per content into a conversation, in order. */
async function commitTo(store: Store, agentId: string, conversationId: string, contents: string[]) {
  const stored = [];
  for (const content of contents) {
    stored.push(...(await store.commitStep({ agentId, conversationId, messages: [userMessage(agentId, content)] })));
  }
  return stored;
}

const search = (terms: string[]) => ({ terms, limit: 10, offset: 0 });

/** Fork, rewind (hidden messages) and restore: the window, search, history pages and pending calls. */
export function describeConversationForks(harness: StoreHarness): void {
  describe('conversation forks, rewinds and restores', () => {
    it('forks a conversation through a message into a copy with new ids, images and search', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const [first, second, third] = await commitTo(store, agent.id, agent.id, ['alpha one', 'beta two', 'gamma']);
      const fork = await store.forkConversation({
        conversation: newConversation(agent.id, { name: 'fork' }),
        sourceId: agent.id,
        atSeq: second!.seq,
      });
      expect(fork.name).toBe('fork');
      const copied = await store.listMessages(agent.id, { conversationId: fork.id, limit: 10 });
      expect(copied.map((message) => message.content)).toEqual(['alpha one', 'beta two']);
      expect(copied.every((message) => message.conversationId === fork.id)).toBe(true);
      expect(ids(copied)).not.toContain(first!.id);
      expect(copied[0]!.seq).toBeGreaterThan(third!.seq);
      expect((await store.listContextMessages(fork.id)).map((message) => message.content)).toEqual([
        'alpha one',
        'beta two',
      ]);
      const found = await store.searchMessages(agent.id, { ...search(['beta']), conversationId: fork.id });
      expect(ids(found.hits)).toEqual([copied[1]!.id]);
      // The source is untouched; a fork without a message copies everything.
      expect(await store.listMessages(agent.id, { conversationId: agent.id, limit: 10 })).toHaveLength(3);
      const whole = await store.forkConversation({
        conversation: newConversation(agent.id),
        sourceId: agent.id,
        atSeq: null,
      });
      expect(await store.listContextMessages(whole.id)).toHaveLength(3);
    });

    it('keeps tool results with the call they answer, and copies no pending calls', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const call = toolCall();
      const [ask] = await commitTo(store, agent.id, agent.id, ['weather?']);
      const [calling] = await store.commitStep({ agentId: agent.id, messages: [toolCallMessage(agent.id, [call])] });
      await store.commitStep({
        agentId: agent.id,
        messages: [userMessage(agent.id, 'sunny', { role: 'tool', toolCallId: call.id, name: 'get_weather' })],
      });
      const client = toolCall('client_tool');
      await store.commitStep({
        agentId: agent.id,
        messages: [toolCallMessage(agent.id, [client])],
        addPendingToolCalls: [pendingCall(agent.id, client)],
      });
      const fork = await store.forkConversation({
        conversation: newConversation(agent.id),
        sourceId: agent.id,
        atSeq: calling!.seq,
      });
      const copied = await store.listMessages(agent.id, { conversationId: fork.id, limit: 10 });
      expect(copied.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
      expect(await store.listPendingToolCalls(fork.id)).toEqual([]);
      expect(await store.listPendingToolCalls(agent.id)).toHaveLength(1);

      // Rewinding past the client call closes it; its results stay with the server call kept.
      expect(await store.hideMessagesAfter(agent.id, ask!.seq)).toBe(3);
      expect(await store.listPendingToolCalls(agent.id)).toEqual([]);
      expect(ids(await store.listContextMessages(agent.id))).toEqual([ask!.id]);
    });

    it('keeps the summary in a fork at or after the window start, and drops it before', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const [, second, third, fourth] = await commitTo(store, agent.id, agent.id, ['one', 'two', 'three', 'four']);
      const summary = { text: 'earlier: one and two', messageCount: 2, updatedAt: timestamp() };
      await store.commitStep({ agentId: agent.id, messages: [], summary, contextStartSeq: third!.seq });

      const late = await store.forkConversation({
        conversation: newConversation(agent.id),
        sourceId: agent.id,
        atSeq: fourth!.seq,
      });
      expect(await store.getContextSummary(late.id)).toEqual(summary);
      expect((await store.listContextMessages(late.id)).map((message) => message.content)).toEqual(['three', 'four']);
      expect(await store.listMessages(agent.id, { conversationId: late.id, limit: 10 })).toHaveLength(4);

      const early = await store.forkConversation({
        conversation: newConversation(agent.id),
        sourceId: agent.id,
        atSeq: second!.seq,
      });
      expect(await store.getContextSummary(early.id)).toBeNull();
      expect((await store.listContextMessages(early.id)).map((message) => message.content)).toEqual(['one', 'two']);
    });

    it('hides messages after a cut from the window, search and pages, and restores them', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const other = await store.createConversation(newConversation(agent.id));
      const [, second] = await commitTo(store, agent.id, other.id, ['apple', 'banana']);
      // The window is cached by now: the rewind must reach it.
      expect(await store.listContextMessages(other.id)).toHaveLength(2);
      await commitTo(store, agent.id, other.id, ['cherry pie', 'durian pie']);
      expect(await store.listContextMessages(other.id)).toHaveLength(4);

      expect(await store.hideMessagesAfter(other.id, second!.seq)).toBe(2);
      expect((await store.listContextMessages(other.id)).map((message) => message.content)).toEqual([
        'apple',
        'banana',
      ]);
      expect((await store.searchMessages(agent.id, search(['pie']))).hits).toEqual([]);
      expect((await store.searchMessages(agent.id, { ...search(['pie']), conversationId: other.id })).hits).toEqual([]);
      const visible = await store.listMessages(agent.id, { conversationId: other.id, limit: 10 });
      expect(visible.map((message) => message.content)).toEqual(['apple', 'banana']);
      expect(await store.listMessages(agent.id, { limit: 10 })).toHaveLength(2);
      const all = await store.listMessages(agent.id, { conversationId: other.id, limit: 10, includeHidden: true });
      expect(all.map((message) => [message.content, message.hidden ?? false])).toEqual([
        ['apple', false],
        ['banana', false],
        ['cherry pie', true],
        ['durian pie', true],
      ]);
      const hiddenOne = await store.getMessage(agent.id, all[2]!.id);
      expect(hiddenOne).toMatchObject({ hidden: true, content: 'cherry pie' });
      // Nothing after the last message: nothing to hide.
      expect(await store.hideMessagesAfter(other.id, second!.seq)).toBe(0);

      // A turn after the rewind appends; a restore shows everything again, in seq order.
      await commitTo(store, agent.id, other.id, ['elderberry']);
      expect((await store.listContextMessages(other.id)).map((message) => message.content)).toEqual([
        'apple',
        'banana',
        'elderberry',
      ]);
      expect(await store.restoreMessages(other.id)).toBe(2);
      expect((await store.listContextMessages(other.id)).map((message) => message.content)).toEqual([
        'apple',
        'banana',
        'cherry pie',
        'durian pie',
        'elderberry',
      ]);
      expect((await store.searchMessages(agent.id, search(['pie']))).hits).toHaveLength(2);
      expect(
        (await store.listMessages(agent.id, { conversationId: other.id, limit: 10 })).every(
          (message) => message.hidden === undefined,
        ),
      ).toBe(true);
      expect(await store.restoreMessages(other.id)).toBe(0);
    });

    it('drops the summary when a rewind reaches below the window start', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const [first, , third] = await commitTo(store, agent.id, agent.id, ['one', 'two', 'three']);
      const summary = { text: 'one and two', messageCount: 2, updatedAt: timestamp() };
      await store.commitStep({ agentId: agent.id, messages: [], summary, contextStartSeq: third!.seq });
      expect(await store.listContextMessages(agent.id)).toHaveLength(1);
      expect(await store.hideMessagesAfter(agent.id, first!.seq)).toBe(2);
      expect(await store.getContextSummary(agent.id)).toBeNull();
      expect(ids(await store.listContextMessages(agent.id))).toEqual([first!.id]);
    });
  });
}
