import type { Store } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { expectMemgateError, pendingCall, seedAgent, toolCall, toolCallMessage, userMessage } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

/** Everything a step can change, to prove a failed step changed none of it. */
async function snapshot(store: Store, userId: string, agentId: string) {
  return {
    messages: await store.listMessages(agentId, { limit: 1000 }),
    context: await store.listContextMessages(agentId),
    memory: (await store.getAgent(userId, agentId))?.memory,
    pending: await store.listPendingToolCalls(agentId),
  };
}

/** commitStep, pending tool calls and the all-or-nothing rule. */
export function describeTurnSteps(harness: StoreHarness): void {
  describe('commitStep', () => {
    it('stores messages with increasing seq and returns them as stored', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const call = toolCall();
      const messages = [
        userMessage(agent.id, 'What is the weather?', { name: 'alice', metadata: { thread: 't-1' } }),
        toolCallMessage(agent.id, [call]),
        userMessage(agent.id, '{"temp":21}', { role: 'tool', toolCallId: call.id, name: 'get_weather' }),
      ];
      const stored = await store.commitStep({ agentId: agent.id, messages });

      expect(stored.map(({ seq: _seq, conversationId: _conversation, ...message }) => message)).toEqual(messages);
      expect(stored.every((message) => message.conversationId === agent.id)).toBe(true);
      const seqs = stored.map((message) => message.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(await store.listContextMessages(agent.id)).toEqual(stored);

      const [later] = await store.commitStep({ agentId: agent.id, messages: [userMessage(agent.id, 'thanks')] });
      expect(later?.seq).toBeGreaterThan(seqs.at(-1) ?? Number.POSITIVE_INFINITY);
    });

    it('applies the memory changes of the step', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      await store.commitStep({
        agentId: agent.id,
        messages: [userMessage(agent.id, 'My name is Ada.')],
        memory: [{ label: 'human', value: 'Name: Ada' }],
      });
      const read = await store.getAgent(user.id, agent.id);
      expect(read?.memory.map((block) => [block.label, block.value])).toEqual([
        ['persona', 'I am a helpful agent.'],
        ['human', 'Name: Ada'],
        ['notes', 'none yet'],
      ]);
    });

    it('opens pending tool calls in order and resolves them one by one', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const { agent: other } = await seedAgent(store);
      const first = pendingCall(agent.id);
      const second = { ...pendingCall(agent.id), style: 'function' as const };
      await store.commitStep({ agentId: agent.id, messages: [], addPendingToolCalls: [first, second] });
      expect(await store.listPendingToolCalls(agent.id)).toEqual([first, second]);
      expect(await store.listPendingToolCalls(other.id)).toEqual([]);

      await store.commitStep({ agentId: agent.id, messages: [], resolvePendingToolCallIds: [first.toolCallId] });
      expect(await store.listPendingToolCalls(agent.id)).toEqual([second]);
    });

    it('refuses a step for an agent that does not exist', async () => {
      const step = { agentId: 'agent-unknown', messages: [userMessage('agent-unknown', 'hello')] };
      await expect(harness.store.commitStep(step)).rejects.toThrow();
      expect(await harness.store.listMessages('agent-unknown', { limit: 10 })).toEqual([]);
    });
  });

  describe('commitStep is all or nothing', () => {
    /** A store with history, memory and an open call, and a step that would change all three. */
    async function prepare() {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const open = pendingCall(agent.id);
      await store.commitStep({
        agentId: agent.id,
        messages: [userMessage(agent.id, 'before')],
        addPendingToolCalls: [open],
      });
      const step = {
        agentId: agent.id,
        messages: [userMessage(agent.id, 'one'), userMessage(agent.id, 'two')],
        memory: [{ label: 'human', value: 'changed' }],
        resolvePendingToolCallIds: [open.toolCallId],
        addPendingToolCalls: [pendingCall(agent.id)],
      };
      return { store, user, agent, open, step, before: await snapshot(store, user.id, agent.id) };
    }

    it('stores nothing when a message id repeats within the step (CONFLICT)', async () => {
      const { store, user, agent, step, before } = await prepare();
      const [first] = step.messages;
      const repeated = { ...step, messages: [...step.messages, { ...first!, content: 'again' }] };
      await expectMemgateError(store.commitStep(repeated), 'CONFLICT');
      expect(await snapshot(store, user.id, agent.id)).toEqual(before);
    });

    it('stores nothing when a message id was stored by an earlier step (CONFLICT)', async () => {
      const { store, user, agent, step, before } = await prepare();
      const [stored] = before.messages;
      const repeated = { ...step, messages: [...step.messages, { ...stored!, content: 'again' }] };
      await expectMemgateError(store.commitStep(repeated), 'CONFLICT');
      expect(await snapshot(store, user.id, agent.id)).toEqual(before);
    });

    it('stores nothing when a new pending call repeats an open one (CONFLICT)', async () => {
      const { store, user, agent, open, step, before } = await prepare();
      const repeated = { ...step, resolvePendingToolCallIds: [], addPendingToolCalls: [pendingCall(agent.id), open] };
      await expectMemgateError(store.commitStep(repeated), 'CONFLICT');
      expect(await snapshot(store, user.id, agent.id)).toEqual(before);
    });

    it('stores nothing when the step changes a memory block the agent lacks', async () => {
      const { store, user, agent, step, before } = await prepare();
      const bad = { ...step, memory: [...step.memory, { label: 'missing', value: 'x' }] };
      await expect(store.commitStep(bad)).rejects.toThrow();
      expect(await snapshot(store, user.id, agent.id)).toEqual(before);
    });

    it('still accepts the corrected step afterwards', async () => {
      const { store, user, agent, step, before } = await prepare();
      await expect(store.commitStep({ ...step, messages: [step.messages[0]!, step.messages[0]!] })).rejects.toThrow();
      const stored = await store.commitStep(step);
      expect((await store.listMessages(agent.id, { limit: 1000 })).map((message) => message.content)).toEqual([
        'before',
        'one',
        'two',
      ]);
      expect(stored).toHaveLength(2);
      expect(await store.listPendingToolCalls(agent.id)).toEqual(step.addPendingToolCalls);
      expect(before.pending).toHaveLength(1);
      expect((await store.getAgent(user.id, agent.id))?.memory[1]?.value).toBe('changed');
    });
  });
}
