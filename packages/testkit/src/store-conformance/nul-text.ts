import { describe, expect, it } from 'vitest';
import {
  memoryBlock,
  newAgent,
  newPassage,
  newUser,
  pendingCall,
  toolCall,
  toolCallMessage,
  userMessage,
} from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

/**
 * Text holding U+0000 reads back with U+FFFD in its place on every store. PostgreSQL text cannot
 * hold NUL and SQLite can; clients' NUL is refused with 422 before any store, so this pins down
 * what happens to a model's, and keeps the data the same whichever store holds it.
 */
export function describeNulText(harness: StoreHarness): void {
  describe('NUL characters', () => {
    it('are stored as U+FFFD in agents, memory, messages, tool calls, pending calls and passages', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const agent = await store.createAgent(
        newAgent(user.id, {
          name: 'n\u0000ul',
          system: 's\u0000',
          memory: [memoryBlock('human', 'a\u0000b', 100)],
        }),
      );
      expect(agent.name).toBe('n\uFFFDul');
      expect(agent.system).toBe('s\uFFFD');
      expect(agent.memory[0]?.value).toBe('a\uFFFDb');
      expect(await store.getAgent(user.id, agent.id)).toEqual(agent);

      const call = toolCall('look\u0000up', '{"q":"\u0000"}');
      const stored = await store.commitStep({
        agentId: agent.id,
        messages: [userMessage(agent.id, 'x\u0000y', { name: 'al\u0000ice' }), toolCallMessage(agent.id, [call])],
        memory: [{ label: 'human', value: 'c\u0000d' }],
        passages: [newPassage(agent.id, 'p\u0000q')],
        addPendingToolCalls: [pendingCall(agent.id, call)],
      });
      expect(stored[0]).toMatchObject({ content: 'x\uFFFDy', name: 'al\uFFFDice' });
      expect(stored[1]?.toolCalls?.[0]?.function).toEqual({ name: 'look\uFFFDup', arguments: '{"q":"\uFFFD"}' });
      expect(await store.listMessages(agent.id, { limit: 10 })).toEqual(stored);
      expect(await store.listContextMessages(agent.id)).toEqual(stored);
      expect((await store.getAgent(user.id, agent.id))?.memory[0]?.value).toBe('c\uFFFDd');
      expect((await store.listPassages(agent.id, { limit: 10 })).map((passage) => passage.content)).toEqual([
        'p\uFFFDq',
      ]);
      expect(await store.listPendingToolCalls(agent.id)).toMatchObject([
        { name: 'look\uFFFDup', arguments: '{"q":"\uFFFD"}' },
      ]);

      expect((await store.setMemoryBlock(agent.id, 'human', 'e\u0000'))?.value).toBe('e\uFFFD');
      const [passage] = await store.insertPassages([newPassage(agent.id, 'r\u0000')]);
      expect(passage?.content).toBe('r\uFFFD');
    });
  });
}
