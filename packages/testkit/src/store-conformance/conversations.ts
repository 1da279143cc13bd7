import { randomUUID } from 'node:crypto';
import type { Conversation, MemgateError, Store } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import {
  commitUserMessages,
  expectMemgateError,
  ids,
  newUser,
  pendingCall,
  seedAgent,
  timestamp,
  toolCall,
  userMessage,
} from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

export function newConversation(agentId: string, overrides: Partial<Conversation> = {}): Conversation {
  const at = timestamp();
  return {
    id: `conv_${randomUUID().replaceAll('-', '')}`,
    agentId,
    name: null,
    metadata: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** Commits one single-message step per content into a conversation, in order. */
async function commitTo(store: Store, agentId: string, conversationId: string, contents: string[]) {
  const stored = [];
  for (const content of contents) {
    stored.push(...(await store.commitStep({ agentId, conversationId, messages: [userMessage(agentId, content)] })));
  }
  return stored;
}

/** Conversations: many threads of one agent, each with its window, summary and pending calls; shared memory. */
export function describeConversations(harness: StoreHarness): void {
  describe('conversations', () => {
    it('gives every agent a default conversation whose id is the agent id', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const conversation = await store.getConversation(user.id, agent.id);
      expect(conversation).toMatchObject({ id: agent.id, agentId: agent.id, name: null, metadata: null });
      expect(ids(await store.listConversations(agent.id, { limit: 10 }))).toEqual([agent.id]);
      // Messages written without a conversation land in it.
      const [message] = await commitUserMessages(store, agent.id, ['hello']);
      expect(message!.conversationId).toBe(agent.id);
    });

    it('creates, lists, reads, updates and deletes conversations, scoped to the agent owner', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const first = await store.createConversation(newConversation(agent.id, { name: 'first', metadata: { a: '1' } }));
      const second = await store.createConversation(newConversation(agent.id));
      expect(first).toMatchObject({ name: 'first', metadata: { a: '1' } });
      expect(ids(await store.listConversations(agent.id, { limit: 10 }))).toEqual([agent.id, first.id, second.id]);
      expect(ids(await store.listConversations(agent.id, { limit: 1 }))).toEqual([second.id]);
      expect(ids(await store.listConversations(agent.id, { limit: 10, before: second.id }))).toEqual([
        agent.id,
        first.id,
      ]);

      expect(await store.getConversation(user.id, first.id)).toEqual(first);
      const stranger = await store.createUser(newUser());
      expect(await store.getConversation(stranger.id, first.id)).toBeNull();
      expect(await store.getConversation(user.id, 'conv_missing')).toBeNull();

      const updatedAt = timestamp();
      const renamed = await store.updateConversation(first.id, { name: 'renamed', updatedAt });
      expect(renamed).toEqual({ ...first, name: 'renamed', updatedAt });
      const cleared = await store.updateConversation(first.id, { metadata: null, updatedAt });
      expect(cleared).toEqual({ ...first, name: 'renamed', metadata: null, updatedAt });
      expect(await store.updateConversation('conv_missing', { name: 'x', updatedAt })).toBeNull();

      expect(await store.deleteConversation(second.id)).toBe(true);
      expect(await store.deleteConversation(second.id)).toBe(false);
      expect(ids(await store.listConversations(agent.id, { limit: 10 }))).toEqual([agent.id, first.id]);
    });

    it('refuses a conversation of an unknown agent and a repeated id', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      await expectMemgateError(store.createConversation(newConversation(`agent-${randomUUID()}`)), 'NOT_FOUND');
      const conversation = await store.createConversation(newConversation(agent.id));
      await expectMemgateError(store.createConversation(conversation), 'CONFLICT');
      await expectMemgateError(store.createConversation(newConversation(agent.id, { id: agent.id })), 'CONFLICT');
    });

    it('keeps a window, summary and pending calls per conversation; the history spans them all', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const other = await store.createConversation(newConversation(agent.id));
      const inDefault = await commitUserMessages(store, agent.id, ['one', 'two']);
      const inOther = await commitTo(store, agent.id, other.id, ['uno', 'dos', 'tres']);
      expect(inOther.map((message) => message.conversationId)).toEqual([other.id, other.id, other.id]);

      expect(ids(await store.listContextMessages(agent.id))).toEqual(ids(inDefault));
      expect(ids(await store.listContextMessages(other.id))).toEqual(ids(inOther));
      expect(ids(await store.listMessages(agent.id, { limit: 10 }))).toEqual(ids([...inDefault, ...inOther]));
      expect(ids(await store.listMessages(agent.id, { limit: 10, conversationId: other.id }))).toEqual(ids(inOther));
      expect(ids(await store.listMessages(agent.id, { limit: 10, conversationId: agent.id }))).toEqual(ids(inDefault));
      expect(
        ids(await store.listMessages(agent.id, { limit: 1, conversationId: other.id, before: inOther[2]!.id })),
      ).toEqual([inOther[1]!.id]);

      const summary = { text: 'counted in Spanish', messageCount: 1, updatedAt: timestamp() };
      const call = toolCall();
      await store.commitStep({
        agentId: agent.id,
        conversationId: other.id,
        messages: [],
        contextStartSeq: inOther[1]!.seq,
        summary,
        addPendingToolCalls: [pendingCall(agent.id, call)],
      });
      expect(await store.getContextSummary(other.id)).toEqual(summary);
      expect(await store.getContextSummary(agent.id)).toBeNull();
      expect(ids(await store.listContextMessages(other.id))).toEqual(ids(inOther.slice(1)));
      expect(ids(await store.listContextMessages(agent.id))).toEqual(ids(inDefault));
      expect((await store.listPendingToolCalls(other.id)).map((pending) => pending.toolCallId)).toEqual([call.id]);
      expect(await store.listPendingToolCalls(agent.id)).toEqual([]);

      const reopened = await harness.reopen();
      expect(ids(await reopened.listContextMessages(other.id))).toEqual(ids(inOther.slice(1)));
      expect(await reopened.getContextSummary(other.id)).toEqual(summary);
    });

    it('searches one conversation or the whole agent', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const other = await store.createConversation(newConversation(agent.id));
      const [inDefault] = await commitUserMessages(store, agent.id, ['the zebra is striped']);
      const [inOther] = await commitTo(store, agent.id, other.id, ['a zebra again']);
      const search = { terms: ['zebra'], limit: 10, offset: 0 };
      expect(ids((await store.searchMessages(agent.id, search)).hits).sort()).toEqual(
        ids([inDefault!, inOther!]).sort(),
      );
      const scoped = await store.searchMessages(agent.id, { ...search, conversationId: other.id });
      expect({ total: scoped.total, hits: ids(scoped.hits) }).toEqual({ total: 1, hits: [inOther!.id] });
      expect(ids((await store.searchMessages(agent.id, { ...search, conversationId: agent.id })).hits)).toEqual([
        inDefault!.id,
      ]);
    });

    it('deletes a conversation with its messages and pending calls, leaving the others', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const other = await store.createConversation(newConversation(agent.id));
      const kept = await commitUserMessages(store, agent.id, ['kept walrus']);
      await commitTo(store, agent.id, other.id, ['gone walrus']);
      await store.commitStep({
        agentId: agent.id,
        conversationId: other.id,
        messages: [],
        addPendingToolCalls: [pendingCall(agent.id)],
      });
      expect(await store.deleteConversation(other.id)).toBe(true);
      expect(ids(await store.listMessages(agent.id, { limit: 10 }))).toEqual(ids(kept));
      expect(await store.listPendingToolCalls(other.id)).toEqual([]);
      expect(await store.listContextMessages(other.id)).toEqual([]);
      const found = await store.searchMessages(agent.id, { terms: ['walrus'], limit: 10, offset: 0 });
      expect(ids(found.hits)).toEqual(ids(kept));
      // A step for a conversation that no longer exists writes nothing.
      await expectMemgateError(commitTo(store, agent.id, other.id, ['late']), 'NOT_FOUND');
      expect(ids(await store.listMessages(agent.id, { limit: 10 }))).toEqual(ids(kept));
    });

    it('refuses a step naming another agent’s conversation', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const { agent: stranger } = await seedAgent(store);
      await expectMemgateError(commitTo(store, agent.id, stranger.id, ['crossed']), 'NOT_FOUND');
      expect(await store.listMessages(stranger.id, { limit: 10 })).toEqual([]);
    });

    it('deletes an agent with all its conversations', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const other = await store.createConversation(newConversation(agent.id));
      await commitTo(store, agent.id, other.id, ['bye']);
      expect(await store.deleteAgent(user.id, agent.id)).toBe(true);
      expect(await store.getConversation(user.id, other.id)).toBeNull();
      expect(await store.listConversations(agent.id, { limit: 10 })).toEqual([]);
    });

    it('maps an outside key to one conversation per agent, created on first use', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const { agent: second } = await seedAgent(store);
      const [a, b] = await Promise.all([
        store.conversationForKey(agent.id, 'openwebui:chat-1', newConversation(agent.id, { name: 'chat-1' })),
        store.conversationForKey(agent.id, 'openwebui:chat-1', newConversation(agent.id, { name: 'chat-1' })),
      ]);
      expect(a!.id).toBe(b!.id);
      const again = await store.conversationForKey(agent.id, 'openwebui:chat-1', newConversation(agent.id));
      expect(again).toEqual(a);
      const elsewhere = await store.conversationForKey(second.id, 'openwebui:chat-1', newConversation(second.id));
      expect(elsewhere.id).not.toBe(a!.id);
      expect(ids(await store.listConversations(agent.id, { limit: 10 }))).toEqual([agent.id, a!.id]);
      // Deleting the conversation frees its key: the next use creates a new one.
      await store.deleteConversation(a!.id);
      const fresh = await store.conversationForKey(agent.id, 'openwebui:chat-1', newConversation(agent.id));
      expect(fresh.id).not.toBe(a!.id);
      await expectMemgateError(
        store.conversationForKey(`agent-${randomUUID()}`, 'k', newConversation(`agent-${randomUUID()}`)),
        'NOT_FOUND',
      );
    });
  });

  describe('versioned memory blocks', () => {
    it('starts blocks at version 1 and counts every write', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const versions = async () => (await store.getAgent(user.id, agent.id))!.memory.map((block) => block.version);
      expect(await versions()).toEqual([1, 1, 1]);
      await store.commitStep({ agentId: agent.id, messages: [], memory: [{ label: 'human', value: 'Ann' }] });
      await store.setMemoryBlock(agent.id, 'notes', 'n');
      expect(await versions()).toEqual([1, 2, 2]);
    });

    it('writes a versioned edit only over the version it was made from, and otherwise writes nothing of the step', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const step = (value: string, version: number) => ({
        agentId: agent.id,
        messages: [userMessage(agent.id, value)],
        memory: [{ label: 'human', value, version }],
      });
      await store.commitStep(step('from conversation A', 1));
      const error = await store.commitStep(step('from conversation B', 1)).then(
        () => null,
        (reason: unknown) => reason as MemgateError,
      );
      expect(error).toMatchObject({ code: 'CONFLICT', detailCode: 'memory_conflict' });
      const human = (await store.getAgent(user.id, agent.id))!.memory.find((block) => block.label === 'human');
      expect(human).toMatchObject({ value: 'from conversation A', version: 2 });
      expect((await store.listMessages(agent.id, { limit: 10 })).map((message) => message.content)).toEqual([
        'from conversation A',
      ]);
      await store.commitStep(step('B, re-applied', 2));
      expect((await store.getAgent(user.id, agent.id))!.memory[1]).toMatchObject({
        value: 'B, re-applied',
        version: 3,
      });
    });
  });
}
