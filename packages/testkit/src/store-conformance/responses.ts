import { initialResponse, type ResponseRecord, type Store } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { newConversation } from './conversations.ts';
import { expectMemgateError, seedAgent } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

function newRecord(
  agentId: string,
  conversationId: string,
  id = `resp_${Math.random().toString(16).slice(2)}`,
): ResponseRecord {
  const response = initialResponse(
    { input: 'hi', instructions: 'Be brief.', metadata: { topic: 'nul \u0000 here' } },
    { id, createdAt: 1_700_000_000, model: 'gpt-test', conversationId },
  );
  return {
    id,
    agentId,
    conversationId,
    lastMessageId: 'message-1',
    previousResponseId: null,
    createdAt: 1_700_000_000,
    response: { ...response, status: 'completed' },
    inputItems: [{ id: 'msg_1', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi\u0000' }] }],
  };
}

async function seedConversation(store: Store) {
  const { user, agent } = await seedAgent(store);
  const conversation = await store.createConversation(newConversation(agent.id));
  return { user, agent, conversation };
}

/** The Responses API's records: stored as given, read back only by their user, deleted with their conversation. */
export function describeResponses(harness: StoreHarness): void {
  describe('responses', () => {
    it('stores a response record and reads it back exactly, NUL included', async () => {
      const { store } = harness;
      const { user, agent, conversation } = await seedConversation(store);
      const record = newRecord(agent.id, conversation.id);
      await store.saveResponse(record);
      expect(await store.getResponse(user.id, record.id)).toEqual(record);
    });

    it("answers null for another user's response, and refuses to delete it", async () => {
      const { store } = harness;
      const { agent, conversation } = await seedConversation(store);
      const other = await seedAgent(store);
      const record = newRecord(agent.id, conversation.id);
      await store.saveResponse(record);
      expect(await store.getResponse(other.user.id, record.id)).toBeNull();
      expect(await store.deleteResponse(other.user.id, record.id)).toBe(false);
    });

    it('deletes a response once, and with its conversation', async () => {
      const { store } = harness;
      const { user, agent, conversation } = await seedConversation(store);
      const first = newRecord(agent.id, conversation.id);
      const second = newRecord(agent.id, conversation.id);
      await store.saveResponse(first);
      await store.saveResponse(second);
      expect(await store.deleteResponse(user.id, first.id)).toBe(true);
      expect(await store.deleteResponse(user.id, first.id)).toBe(false);
      expect(await store.getResponse(user.id, first.id)).toBeNull();
      await store.deleteConversation(conversation.id);
      expect(await store.getResponse(user.id, second.id)).toBeNull();
    });

    it('refuses a repeated id (CONFLICT) and an unknown conversation (NOT_FOUND)', async () => {
      const { store } = harness;
      const { agent, conversation } = await seedConversation(store);
      const record = newRecord(agent.id, conversation.id);
      await store.saveResponse(record);
      await expectMemgateError(store.saveResponse(record), 'CONFLICT');
      await expectMemgateError(store.saveResponse(newRecord(agent.id, 'conv_missing')), 'NOT_FOUND');
    });
  });
}
