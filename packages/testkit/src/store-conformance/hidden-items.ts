import type { Store } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { newConversation } from './conversations.ts';
import { ids, pendingCall, seedAgent, toolCall, toolCallMessage, userMessage } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

async function commitTo(store: Store, agentId: string, conversationId: string, contents: string[]) {
  const stored = [];
  for (const content of contents) {
    stored.push(...(await store.commitStep({ agentId, conversationId, messages: [userMessage(agentId, content)] })));
  }
  return stored;
}

const search = (terms: string[]) => ({ terms, limit: 10, offset: 0 });

/** Hiding single messages (the Conversations API's item delete): window cache, search, lists, pending calls. */
export function describeHiddenItems(harness: StoreHarness): void {
  describe('hiding single messages', () => {
    it('hides the named messages from a cached window, search and lists, and restores them', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const other = await store.createConversation(newConversation(agent.id));
      const [apple, pie, cherry] = await commitTo(store, agent.id, other.id, ['apple', 'pie crust', 'cherry']);
      // The window is cached by now: hiding a message in its middle must reach it.
      expect(await store.listContextMessages(other.id)).toHaveLength(3);
      expect(await store.hideMessages(other.id, [pie!.id])).toBe(1);
      expect(ids(await store.listContextMessages(other.id))).toEqual([apple!.id, cherry!.id]);
      expect((await store.searchMessages(agent.id, search(['crust']))).hits).toEqual([]);
      expect(ids(await store.listMessages(agent.id, { conversationId: other.id, limit: 10 }))).toEqual([
        apple!.id,
        cherry!.id,
      ]);
      expect(await store.getMessage(agent.id, pie!.id)).toMatchObject({ hidden: true });
      // Already hidden, of another conversation, or unknown: nothing is hidden.
      expect(await store.hideMessages(other.id, [pie!.id, 'message-unknown'])).toBe(0);
      const [elsewhere] = await commitTo(store, agent.id, agent.id, ['elsewhere']);
      expect(await store.hideMessages(other.id, [elsewhere!.id])).toBe(0);
      expect(ids(await store.listContextMessages(agent.id))).toEqual([elsewhere!.id]);
      // Later messages append after the hidden one; a restore brings it back in its place.
      const [date] = await commitTo(store, agent.id, other.id, ['date']);
      expect(ids(await store.listContextMessages(other.id))).toEqual([apple!.id, cherry!.id, date!.id]);
      expect(await store.restoreMessages(other.id)).toBe(1);
      expect(ids(await store.listContextMessages(other.id))).toEqual([apple!.id, pie!.id, cherry!.id, date!.id]);
      expect(ids((await store.searchMessages(agent.id, search(['crust']))).hits)).toEqual([pie!.id]);
    });

    it('closes the pending client calls a hidden message made', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const client = toolCall('client_tool');
      const [calling] = await store.commitStep({
        agentId: agent.id,
        messages: [toolCallMessage(agent.id, [client])],
        addPendingToolCalls: [pendingCall(agent.id, client)],
      });
      expect(await store.listPendingToolCalls(agent.id)).toHaveLength(1);
      expect(await store.hideMessages(agent.id, [calling!.id])).toBe(1);
      expect(await store.listPendingToolCalls(agent.id)).toEqual([]);
      expect(await store.listContextMessages(agent.id)).toEqual([]);
    });
  });
}
