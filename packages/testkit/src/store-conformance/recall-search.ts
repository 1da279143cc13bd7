import type { StoredMessage } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { commitUserMessages, ids, seedAgent, toolCall, toolCallMessage, userMessage } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

const contents = (messages: StoredMessage[]) => messages.map((message) => message.content);

/** Recall search over the whole history (conversation_search). */
export function describeRecallSearch(harness: StoreHarness): void {
  describe('searchMessages', () => {
    it('finds what the user wrote and what the assistant said or sent, not tool results or alerts', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const send = toolCall('send_message', JSON.stringify({ message: 'Your dentist appointment is on Friday.' }));
      const [question, reply, , result, alert] = await store.commitStep({
        agentId: agent.id,
        messages: [
          userMessage(agent.id, 'When is my dentist appointment?'),
          toolCallMessage(agent.id, [send]),
          userMessage(agent.id, '{"status":"OK"}', { role: 'tool', toolCallId: send.id, name: 'send_message' }),
          userMessage(agent.id, 'The dentist said thinking about it', { role: 'assistant' }),
          userMessage(agent.id, 'dentist alert', { role: 'system' }),
        ],
      });
      const found = await store.searchMessages(agent.id, { terms: ['dentist'], limit: 10, offset: 0 });
      expect(found.total).toBe(3);
      expect(new Set(ids(found.hits))).toEqual(new Set([question!.id, reply!.id, result!.id]));
      expect(ids(found.hits)).not.toContain(alert!.id);
      const sent = await store.searchMessages(agent.id, { terms: ['friday'], limit: 10, offset: 0 });
      expect(sent.hits).toEqual([reply]);
    });

    it('ranks the message with the query words first, pages, and keeps agents apart', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const { agent: other } = await seedAgent(store);
      await commitUserMessages(store, agent.id, [
        'I planted basil today',
        'the basil and the tomato plants need water',
        'my tomato harvest was great',
        'nothing to do with plants',
      ]);
      await commitUserMessages(store, other.id, ['basil tomato basil tomato']);
      const found = await store.searchMessages(agent.id, { terms: ['basil', 'tomato'], limit: 2, offset: 0 });
      expect(found.total).toBe(3);
      expect(found.hits[0]?.content).toBe('the basil and the tomato plants need water');
      const rest = await store.searchMessages(agent.id, { terms: ['basil', 'tomato'], limit: 2, offset: 2 });
      expect(rest.hits).toHaveLength(1);
      expect(new Set([...contents(found.hits), ...contents(rest.hits)]).size).toBe(3);
      expect(await store.searchMessages(agent.id, { terms: [], limit: 5, offset: 0 })).toEqual({ total: 0, hits: [] });
    });

    it('searches the whole history, also what left the context window, until the agent is deleted', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const [first] = await commitUserMessages(store, agent.id, [
        'my passport number ends in 42',
        'later',
        'even later',
      ]);
      const [, , newest] = await store.listMessages(agent.id, { limit: 10 });
      await store.commitStep({ agentId: agent.id, messages: [], contextStartSeq: newest!.seq });
      expect(ids(await store.listContextMessages(agent.id))).toEqual([newest!.id]);
      const found = await store.searchMessages(agent.id, { terms: ['passport'], limit: 5, offset: 0 });
      expect(found.hits).toEqual([first]);

      await store.deleteAgent(user.id, agent.id);
      expect((await store.searchMessages(agent.id, { terms: ['passport'], limit: 5, offset: 0 })).total).toBe(0);
    });
  });
}
