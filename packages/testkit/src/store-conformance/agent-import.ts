import type { AgentBundle, AgentImport, MemoryBlock, NewAgent, Store, StoredMessage } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import {
  blockId,
  expectMemgateError,
  ids,
  memoryBlock,
  newAgent,
  newBlock,
  newPassage,
  newUser,
  timestamp,
  toolCall,
  toolCallMessage,
  userMessage,
} from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

/** A bundle block as an Agent File import makes it (version 1, not yet attached). */
function bundleBlock(userId: string, label: string, value: string): MemoryBlock & { id: string; userId: string } {
  return { id: blockId(), userId, label, value, limit: 2000, description: 'Shared.', readOnly: false, version: 1 };
}

/** One imported agent: a conversation with a tool exchange, half of it out of the window, a summary and a passage. */
function agentImport(agent: NewAgent): AgentImport {
  const call = toolCall('archival_memory_search', '{"query":"deploys"}');
  const messages = [
    userMessage(agent.id, 'When do we deploy?', { name: 'ada' }),
    toolCallMessage(agent.id, [call]),
    userMessage(agent.id, '[]', { role: 'tool', toolCallId: call.id, name: 'archival_memory_search' }),
    userMessage(agent.id, 'On Fridays.', { role: 'assistant' }),
    userMessage(agent.id, 'Thanks!'),
  ];
  return {
    agent,
    messages,
    windowStart: 3,
    summary: { text: 'Ada asked about deploys.', messageCount: 3, updatedAt: timestamp() },
    passages: [newPassage(agent.id, 'Deploys happen on Fridays.')],
  };
}

/** A message as read back, without what the store adds. */
function asWritten({ seq: _seq, conversationId: _conversationId, ...message }: StoredMessage) {
  return message;
}

/** Every trace an import could leave for a user. */
async function traces(store: Store, userId: string) {
  return { agents: await store.listAgents(userId), blocks: await store.listBlocks(userId, { limit: 100 }) };
}

/** `importAgents`: an Agent File written all at once, or not at all. */
export function describeAgentImport(harness: StoreHarness): void {
  describe('importAgents', () => {
    it('writes agents sharing the bundle blocks, with their history, window, summary and passages', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const shared = bundleBlock(user.id, 'team', 'We ship on Fridays.');
      const first = agentImport(
        newAgent(user.id, {
          name: 'first',
          memory: [memoryBlock('persona', 'I am first.', 100)],
          blockIds: [shared.id],
          tags: ['imported'],
          metadata: { origin: 'letta' },
        }),
      );
      const second = agentImport(
        newAgent(user.id, {
          name: 'second',
          memory: [memoryBlock('persona', 'I am second.', 100)],
          blockIds: [shared.id],
        }),
      );
      const bundle: AgentBundle = { blocks: [shared], agents: [first, second] };

      const agents = await store.importAgents(bundle);
      expect(ids(agents)).toEqual([first.agent.id, second.agent.id]);
      for (const [index, imported] of [first, second].entries()) {
        const { blockIds: _blockIds, ...expected } = imported.agent;
        const { userId: _userId, ...sharedBlock } = shared;
        const agent = { ...expected, memory: [...imported.agent.memory, { ...sharedBlock, agentCount: 2 }] };
        expect(agents[index]).toEqual(agent);
        expect(await store.getAgent(user.id, imported.agent.id)).toEqual(agent);

        const history = await store.listMessages(imported.agent.id, { limit: 100 });
        expect(history.map(asWritten)).toEqual(imported.messages);
        expect(history.every((message) => message.conversationId === imported.agent.id)).toBe(true);
        expect((await store.listContextMessages(imported.agent.id)).map(asWritten)).toEqual(imported.messages.slice(3));
        expect(await store.getContextSummary(imported.agent.id)).toEqual(imported.summary);
        const { embedding: _embedding, ...passage } = imported.passages[0]!;
        expect(await store.listPassages(imported.agent.id, { limit: 10 })).toEqual([passage]);
      }
      expect(await store.getBlock(user.id, shared.id)).toMatchObject({
        label: 'team',
        description: 'Shared.',
        agentIds: [first.agent.id, second.agent.id],
      });
    });

    it('records every imported block write with actor import', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const shared = bundleBlock(user.id, 'team', 'shared');
      const imported = agentImport(newAgent(user.id, { blockIds: [shared.id] }));
      await store.importAgents({ blocks: [shared], agents: [imported] });
      for (const block of [shared, imported.agent.memory[0]!]) {
        expect(await store.blockHistory(user.id, block.id, { limit: 10 })).toEqual([
          { version: 1, value: block.value, actor: 'import', agentId: null, messageId: null, at: expect.any(String) },
        ]);
      }
    });

    it("attaches the user's existing blocks, and shared bundle blocks go with their last agent", async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const existing = await store.createBlock(newBlock(user.id, 'policies', 'Be kind.'));
      const shared = bundleBlock(user.id, 'team', 'shared');
      const imported = agentImport(newAgent(user.id, { blockIds: [shared.id, existing.id] }));
      const [agent] = await store.importAgents({ blocks: [shared], agents: [imported] });
      expect(agent?.memory.map((block) => block.label)).toEqual(['persona', 'human', 'notes', 'team', 'policies']);

      expect(await store.deleteAgent(user.id, imported.agent.id)).toBe(true);
      expect(await store.getBlock(user.id, shared.id)).toBeNull();
      expect((await store.getBlock(user.id, existing.id))?.agentIds).toEqual([]);
    });

    it('puts no message in the window when windowStart is past the last one', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const imported = agentImport(newAgent(user.id));
      await store.importAgents({
        blocks: [],
        agents: [{ ...imported, windowStart: imported.messages.length, summary: null }],
      });
      expect(await store.listContextMessages(imported.agent.id)).toEqual([]);
      expect(await store.listMessages(imported.agent.id, { limit: 100 })).toHaveLength(imported.messages.length);
      expect(await store.getContextSummary(imported.agent.id)).toBeNull();
    });

    it('writes nothing when an agent names a block that does not exist', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const shared = bundleBlock(user.id, 'team', 'shared');
      const good = agentImport(newAgent(user.id, { blockIds: [shared.id] }));
      const dangling = agentImport(newAgent(user.id, { blockIds: [shared.id, 'block-dangling'] }));
      await expect(store.importAgents({ blocks: [shared], agents: [good, dangling] })).rejects.toThrow();
      expect(await traces(store, user.id)).toEqual({ agents: [], blocks: [] });
      expect(await store.listMessages(good.agent.id, { limit: 10 })).toEqual([]);
      expect(await store.listPassages(good.agent.id, { limit: 10 })).toEqual([]);
    });

    it("writes nothing when an agent names another user's block", async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const other = await store.createUser(newUser());
      const theirs = await store.createBlock(newBlock(other.id, 'secret', 'theirs'));
      const imported = agentImport(newAgent(user.id, { blockIds: [theirs.id] }));
      await expectMemgateError(store.importAgents({ blocks: [], agents: [imported] }), 'NOT_FOUND');
      expect(await traces(store, user.id)).toEqual({ agents: [], blocks: [] });
      expect((await store.getBlock(other.id, theirs.id))?.agentIds).toEqual([]);
    });

    it('writes nothing when an id repeats (CONFLICT)', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const first = agentImport(newAgent(user.id));
      const again = agentImport(newAgent(user.id, { id: first.agent.id }));
      await expectMemgateError(store.importAgents({ blocks: [], agents: [first, again] }), 'CONFLICT');
      expect(await traces(store, user.id)).toEqual({ agents: [], blocks: [] });
      expect(await store.listMessages(first.agent.id, { limit: 10 })).toEqual([]);
    });

    it('is usable afterwards: a step writes a shared imported block for every agent', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const shared = bundleBlock(user.id, 'team', 'shared');
      const first = agentImport(newAgent(user.id, { blockIds: [shared.id] }));
      const second = agentImport(newAgent(user.id, { blockIds: [shared.id] }));
      await store.importAgents({ blocks: [shared], agents: [first, second] });
      const [stored] = await store.commitStep({
        agentId: first.agent.id,
        messages: [userMessage(first.agent.id, 'Now Mondays.')],
        memory: [{ label: 'team', value: 'Mondays', version: 1 }],
      });
      const read = await store.getAgent(user.id, second.agent.id);
      expect(read?.memory.at(-1)).toMatchObject({ id: shared.id, value: 'Mondays', version: 2 });
      expect((await store.listContextMessages(first.agent.id)).at(-1)?.id).toBe(stored?.id);
    });
  });
}
