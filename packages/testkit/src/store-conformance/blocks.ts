import { DEFAULT_AGENT_SETTINGS, type Store } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import {
  blockId,
  expectDetailError,
  expectMemgateError,
  ids,
  memoryBlock,
  newAgent,
  newBlock,
  newUser,
  seedAgent,
  userMessage,
} from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

/** A user with a standalone block `team` attached to two of their agents. */
async function seedShared(store: Store) {
  const user = await store.createUser(newUser());
  const team = await store.createBlock(newBlock(user.id, 'team', 'We ship on Fridays.'));
  const first = newAgent(user.id, { name: 'first', blockIds: [team.id] });
  const second = newAgent(user.id, { name: 'second', blockIds: [team.id] });
  await store.createAgent(first);
  await store.createAgent(second);
  return { user, team, first, second };
}

/** The block with this label of the agent as the store reads it now. */
async function blockOf(store: Store, userId: string, agentId: string, label: string) {
  return (await store.getAgent(userId, agentId))?.memory.find((block) => block.label === label);
}

/** Agents made of custom and shared blocks: creation, reads and the agent count. */
function describeAgentBlocks(harness: StoreHarness): void {
  describe('agent blocks', () => {
    it('creates an agent with custom blocks, then its existing blocks, and reads them back in that order', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const shared = await store.createBlock(newBlock(user.id, 'policies', 'Be kind.', { limit: 300 }));
      const agent = newAgent(user.id, {
        memory: [
          memoryBlock('style', 'short answers', 100, { description: 'How to answer.' }),
          memoryBlock('facts', 'water is wet', 50, { readOnly: true }),
        ],
        blockIds: [shared.id],
        tags: ['support', 'beta'],
        metadata: { team: 'blue' },
      });
      const created = await store.createAgent(agent);
      const { blockIds: _blockIds, ...expected } = agent;
      const memory = [
        ...agent.memory,
        {
          id: shared.id,
          label: 'policies',
          value: 'Be kind.',
          limit: 300,
          description: null,
          readOnly: false,
          version: 1,
          agentCount: 1,
        },
      ];
      expect(created).toEqual({ ...expected, memory });
      expect(await store.getAgent(user.id, agent.id)).toEqual(created);
      expect(await store.listAgents(user.id)).toEqual([created]);
      expect((await store.getBlock(user.id, shared.id))?.agentIds).toEqual([agent.id]);
    });

    it('reads a block given without description, readOnly or version back with their defaults', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const agent = newAgent(user.id, { memory: [{ id: blockId(), label: 'persona', value: 'p', limit: 10 }] });
      const created = await store.createAgent(agent);
      expect(created.memory).toEqual([
        {
          id: agent.memory[0]!.id,
          label: 'persona',
          value: 'p',
          limit: 10,
          description: null,
          readOnly: false,
          version: 1,
          agentCount: 1,
        },
      ]);
      expect(await store.blockHistory(user.id, agent.memory[0]!.id, { limit: 10 })).toMatchObject([
        { version: 1, value: 'p', actor: 'user' },
      ]);
    });

    it("deletes a user's blocks with the user", async () => {
      const { store } = harness;
      const { user, team } = await seedShared(store);
      const other = await store.createUser(newUser());
      const kept = await store.createBlock(newBlock(other.id, 'team', 'kept'));
      expect(await store.deleteUser(user.id)).toBe(true);
      expect(await store.listBlocks(user.id, { limit: 10 })).toEqual([]);
      expect(await store.getBlock(user.id, team.id)).toBeNull();
      expect(await store.getBlock(other.id, kept.id)).toEqual(kept);
    });

    it('counts the agents a block is attached to, in getAgent and listAgents', async () => {
      const { store } = harness;
      const { user, team, first, second } = await seedShared(store);
      const counts = (memory: { label: string; agentCount?: number }[] | undefined) =>
        memory?.map((block) => [block.label, block.agentCount]);
      expect(counts((await store.getAgent(user.id, first.id))?.memory)).toEqual([
        ['persona', 1],
        ['human', 1],
        ['notes', 1],
        ['team', 2],
      ]);
      for (const agent of await store.listAgents(user.id)) {
        expect(agent.memory.at(-1)).toMatchObject({ id: team.id, label: 'team', agentCount: 2, version: 1 });
      }
      expect((await store.getBlock(user.id, team.id))?.agentIds).toEqual([first.id, second.id]);
    });

    it("refuses another user's or a missing block with NOT_FOUND and creates nothing", async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const other = await store.createUser(newUser());
      const theirs = await store.createBlock(newBlock(other.id, 'secret', 'theirs'));
      for (const blockIds of [[theirs.id], ['block-missing']]) {
        const agent = newAgent(user.id, { blockIds });
        await expectMemgateError(store.createAgent(agent), 'NOT_FOUND');
        expect(await store.getAgent(user.id, agent.id)).toBeNull();
      }
      expect(await store.listBlocks(user.id, { limit: 100 })).toEqual([]);
      expect((await store.getBlock(other.id, theirs.id))?.agentIds).toEqual([]);
    });

    it('refuses a label twice on one agent with label_conflict and creates nothing', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const notes = await store.createBlock(newBlock(user.id, 'notes', 'standalone notes'));
      const fromBlockIds = newAgent(user.id, { blockIds: [notes.id] });
      await expectDetailError(store.createAgent(fromBlockIds), 'BAD_USER_INPUT', 'label_conflict');
      const twice = newAgent(user.id, { memory: [memoryBlock('human', 'a', 10), memoryBlock('human', 'b', 10)] });
      await expectDetailError(store.createAgent(twice), 'BAD_USER_INPUT', 'label_conflict');
      expect(await store.listAgents(user.id)).toEqual([]);
      expect(ids(await store.listBlocks(user.id, { limit: 100 }))).toEqual([notes.id]);
    });
  });
}

/** Shared blocks written by turn steps and by the API, with their versions and history. */
function describeSharedWrites(harness: StoreHarness): void {
  describe('shared block writes', () => {
    it("makes one agent's step write what the other agent reads, and records it", async () => {
      const { store } = harness;
      const { user, team, first, second } = await seedShared(store);
      const message = userMessage(first.id, 'We now ship on Mondays.');
      await store.commitStep({
        agentId: first.id,
        messages: [message],
        memory: [{ label: 'team', value: 'We ship on Mondays.', version: 1 }],
      });
      expect(await blockOf(store, user.id, second.id, 'team')).toMatchObject({
        id: team.id,
        value: 'We ship on Mondays.',
        version: 2,
        agentCount: 2,
      });
      const history = await store.blockHistory(user.id, team.id, { limit: 10 });
      expect(history).toMatchObject([
        { version: 2, value: 'We ship on Mondays.', actor: 'agent', agentId: first.id, messageId: message.id },
        { version: 1, value: 'We ship on Fridays.', actor: 'user', agentId: null, messageId: null },
      ]);
      expect(typeof history?.[0]?.at).toBe('string');
      expect(await store.getBlock(user.id, team.id)).toMatchObject({ value: 'We ship on Mondays.', version: 2 });
    });

    it('records the step message named by memoryMessageId', async () => {
      const { store } = harness;
      const { user, team, first } = await seedShared(store);
      const question = userMessage(first.id, 'Remember this.');
      const answer = userMessage(first.id, '', { role: 'assistant' });
      await store.commitStep({
        agentId: first.id,
        messages: [question, answer],
        memory: [{ label: 'team', value: 'noted' }],
        memoryMessageId: answer.id,
      });
      expect((await store.blockHistory(user.id, team.id, { limit: 1 }))?.[0]).toMatchObject({
        version: 2,
        actor: 'agent',
        agentId: first.id,
        messageId: answer.id,
      });
    });

    it('refuses a step made from a stale version of a shared block with memory_conflict and keeps nothing of it', async () => {
      const { store } = harness;
      const { user, team, first, second } = await seedShared(store);
      await store.commitStep({
        agentId: first.id,
        messages: [userMessage(first.id, 'first')],
        memory: [{ label: 'team', value: 'from first', version: 1 }],
      });
      const stale = {
        agentId: second.id,
        messages: [userMessage(second.id, 'second')],
        memory: [
          { label: 'human', value: 'changed too' },
          { label: 'team', value: 'from second', version: 1 },
        ],
      };
      await expectDetailError(store.commitStep(stale), 'CONFLICT', 'memory_conflict');
      expect(await store.listMessages(second.id, { limit: 10 })).toEqual([]);
      expect(await blockOf(store, user.id, second.id, 'human')).toMatchObject({ value: '', version: 1 });
      expect(await blockOf(store, user.id, second.id, 'team')).toMatchObject({ value: 'from first', version: 2 });
      expect((await store.blockHistory(user.id, team.id, { limit: 10 }))?.map((entry) => entry.version)).toEqual([
        2, 1,
      ]);

      await store.commitStep({ ...stale, memory: [{ label: 'team', value: 'from second', version: 2 }] });
      expect(await blockOf(store, user.id, first.id, 'team')).toMatchObject({ value: 'from second', version: 3 });
    });

    it('records setMemoryBlock as a user write', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const written = await store.setMemoryBlock(agent.id, 'notes', 'by hand');
      expect(written).toMatchObject({ id: agent.memory[2]!.id, value: 'by hand', version: 2, agentCount: 1 });
      expect(await store.blockHistory(user.id, written!.id!, { limit: 10 })).toMatchObject([
        { version: 2, value: 'by hand', actor: 'user', agentId: null, messageId: null },
        { version: 1, value: 'none yet' },
      ]);
    });
  });
}

/** `/v1/blocks`: create, read, list, update, delete, attach, detach and history. */
function describeBlockCrud(harness: StoreHarness): void {
  describe('blocks', () => {
    it('creates a block attached to no agent, with its first history entry', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const input = newBlock(user.id, 'policies', 'Be kind.', {
        description: 'House rules.',
        readOnly: true,
        metadata: { source: 'wiki' },
      });
      const created = await store.createBlock(input);
      expect(created).toEqual({ ...input, version: 1, agentIds: [], updatedAt: expect.any(String) });
      expect(await store.getBlock(user.id, input.id)).toEqual(created);
      expect(await store.blockHistory(user.id, input.id, { limit: 10 })).toEqual([
        { version: 1, value: 'Be kind.', actor: 'user', agentId: null, messageId: null, at: expect.any(String) },
      ]);
    });

    it('hides a block from every other user and refuses a repeated id with CONFLICT', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const other = await store.createUser(newUser());
      const block = await store.createBlock(newBlock(user.id, 'policies', 'Be kind.'));
      expect(await store.getBlock(other.id, block.id)).toBeNull();
      expect(await store.listBlocks(other.id, { limit: 10 })).toEqual([]);
      expect(await store.updateBlock(other.id, block.id, { value: 'x' }, { actor: 'user' })).toBeNull();
      expect(await store.blockHistory(other.id, block.id, { limit: 10 })).toBeNull();
      expect(await store.deleteBlock(other.id, block.id, true)).toBe('missing');
      await expectMemgateError(store.createBlock(newBlock(other.id, 'copy', 'x', { id: block.id })), 'CONFLICT');
      expect(await store.getBlock(user.id, block.id)).toEqual(block);
    });

    it("lists a user's blocks a page at a time, oldest first, optionally one label's", async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const all = [];
      for (const label of ['a', 'b', 'a', 'b', 'a']) all.push(await store.createBlock(newBlock(user.id, label, label)));
      expect(await store.listBlocks(user.id, { limit: 10 })).toEqual(all);
      expect(ids(await store.listBlocks(user.id, { limit: 2 }))).toEqual(ids(all.slice(3)));
      expect(ids(await store.listBlocks(user.id, { limit: 2, before: all[3]!.id }))).toEqual(ids(all.slice(1, 3)));
      expect(await store.listBlocks(user.id, { limit: 10, before: all[0]!.id })).toEqual([]);
      expect(await store.listBlocks(user.id, { limit: 10, before: 'block-unknown' })).toEqual([]);
      expect(ids(await store.listBlocks(user.id, { limit: 10, label: 'a' }))).toEqual(ids([all[0]!, all[2]!, all[4]!]));
      expect(ids(await store.listBlocks(user.id, { limit: 1, label: 'b', before: all[3]!.id }))).toEqual([all[1]!.id]);
    });

    it('lists the blocks made with an agent too, with the agents they are attached to', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const listed = await store.listBlocks(user.id, { limit: 10 });
      expect(listed.map((block) => [block.label, block.agentIds]).sort()).toEqual([
        ['human', [agent.id]],
        ['notes', [agent.id]],
        ['persona', [agent.id]],
      ]);
      expect(listed.find((block) => block.label === 'notes')).toMatchObject({
        id: agent.memory[2]!.id,
        userId: user.id,
        value: 'none yet',
        limit: 500,
        version: 1,
        description: null,
        readOnly: false,
        metadata: null,
      });
    });

    it('updates fields, growing the version and the history only when the value changes', async () => {
      const { store } = harness;
      const { user, team, second } = await seedShared(store);
      const renamed = await store.updateBlock(
        user.id,
        team.id,
        { label: 'crew', limit: 400, description: 'Who we are.', readOnly: true, metadata: { k: 'v' } },
        { actor: 'user' },
      );
      expect(renamed).toMatchObject({
        label: 'crew',
        value: 'We ship on Fridays.',
        limit: 400,
        description: 'Who we are.',
        readOnly: true,
        metadata: { k: 'v' },
        version: 1,
      });
      const written = await store.updateBlock(user.id, team.id, { value: 'We rest.' }, { actor: 'user' });
      expect(written).toMatchObject({ label: 'crew', value: 'We rest.', version: 2, readOnly: true });
      expect(await store.getBlock(user.id, team.id)).toEqual(written);
      expect(await blockOf(store, user.id, second.id, 'crew')).toMatchObject({
        value: 'We rest.',
        limit: 400,
        description: 'Who we are.',
        readOnly: true,
        version: 2,
      });
      const cleared = await store.updateBlock(
        user.id,
        team.id,
        { description: null, metadata: null },
        { actor: 'user' },
      );
      expect(cleared).toMatchObject({ description: null, metadata: null, version: 2 });
      expect(await store.blockHistory(user.id, team.id, { limit: 10 })).toMatchObject([
        { version: 2, value: 'We rest.', actor: 'user' },
        { version: 1, value: 'We ship on Fridays.' },
      ]);
    });

    it('records the actor, agent and message of an update', async () => {
      const { store } = harness;
      const { user, team, first } = await seedShared(store);
      const [message] = await store.commitStep({ agentId: first.id, messages: [userMessage(first.id, 'hi')] });
      await store.updateBlock(
        user.id,
        team.id,
        { value: 'agent wrote' },
        { actor: 'agent', agentId: first.id, messageId: message!.id },
      );
      expect((await store.blockHistory(user.id, team.id, { limit: 1 }))?.[0]).toMatchObject({
        version: 2,
        actor: 'agent',
        agentId: first.id,
        messageId: message!.id,
      });
    });

    it('writes with expectedVersion only over that version, else memory_conflict and nothing changes', async () => {
      const { store } = harness;
      const { user, team } = await seedShared(store);
      await store.updateBlock(user.id, team.id, { value: 'v2' }, { actor: 'user', expectedVersion: 1 });
      const before = await store.getBlock(user.id, team.id);
      await expectDetailError(
        store.updateBlock(user.id, team.id, { value: 'lost', label: 'other' }, { actor: 'user', expectedVersion: 1 }),
        'CONFLICT',
        'memory_conflict',
      );
      expect(await store.getBlock(user.id, team.id)).toEqual(before);
      expect(before).toMatchObject({ value: 'v2', version: 2 });
      expect(await store.blockHistory(user.id, team.id, { limit: 10 })).toHaveLength(2);
    });

    it("refuses a new label that an attached agent's other block has, with label_conflict", async () => {
      const { store } = harness;
      const { user, team } = await seedShared(store);
      await expectDetailError(
        store.updateBlock(user.id, team.id, { label: 'human', value: 'x' }, { actor: 'user' }),
        'BAD_USER_INPUT',
        'label_conflict',
      );
      expect(await store.getBlock(user.id, team.id)).toMatchObject({
        label: 'team',
        value: 'We ship on Fridays.',
        version: 1,
      });
      const loose = await store.createBlock(newBlock(user.id, 'loose', 'x'));
      expect(await store.updateBlock(user.id, loose.id, { label: 'human' }, { actor: 'user' })).toMatchObject({
        label: 'human',
      });
    });

    it('deletes an attached block only with force, detaching it first', async () => {
      const { store } = harness;
      const { user, team, first, second } = await seedShared(store);
      expect(await store.deleteBlock(user.id, team.id, false)).toBe('attached');
      expect((await store.getBlock(user.id, team.id))?.agentIds).toEqual([first.id, second.id]);
      expect(await blockOf(store, user.id, first.id, 'team')).toBeDefined();

      expect(await store.deleteBlock(user.id, team.id, true)).toBe('deleted');
      expect(await store.getBlock(user.id, team.id)).toBeNull();
      expect(await store.blockHistory(user.id, team.id, { limit: 10 })).toBeNull();
      expect((await store.getAgent(user.id, first.id))?.memory.map((block) => block.label)).toEqual([
        'persona',
        'human',
        'notes',
      ]);
      expect(await store.deleteBlock(user.id, team.id, true)).toBe('missing');
    });

    it('deletes a detached block without force', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const block = await store.createBlock(newBlock(user.id, 'loose', 'x'));
      expect(await store.deleteBlock(user.id, block.id, false)).toBe('deleted');
      expect(await store.listBlocks(user.id, { limit: 10 })).toEqual([]);
      expect(await store.deleteBlock(user.id, 'block-unknown', false)).toBe('missing');
    });
  });
}

/** Attaching and detaching blocks, and the history's pages. */
function describeAttachAndHistory(harness: StoreHarness): void {
  describe('attach, detach and history', () => {
    it('attaches a block after the agent’s other blocks, once', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const other = newAgent(user.id);
      await store.createAgent(other);
      const block = await store.createBlock(newBlock(user.id, 'team', 'shared'));
      await store.attachBlock(user.id, other.id, block.id);

      const attached = await store.attachBlock(user.id, agent.id, block.id);
      expect(attached.memory.map((memory) => memory.label)).toEqual(['persona', 'human', 'notes', 'team']);
      expect(attached.memory[3]).toMatchObject({ id: block.id, value: 'shared', agentCount: 2, version: 1 });
      expect(await store.getAgent(user.id, agent.id)).toEqual(attached);
      expect(await store.attachBlock(user.id, agent.id, block.id)).toEqual(attached);
      expect((await store.getBlock(user.id, block.id))?.agentIds).toEqual([other.id, agent.id]);
    });

    it('refuses a missing or foreign agent or block with NOT_FOUND, and a taken label with label_conflict', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const { user: other, agent: theirAgent } = await seedAgent(store);
      const mine = await store.createBlock(newBlock(user.id, 'team', 'x'));
      const theirs = await store.createBlock(newBlock(other.id, 'team', 'y'));
      await expectMemgateError(store.attachBlock(user.id, agent.id, theirs.id), 'NOT_FOUND');
      await expectMemgateError(store.attachBlock(user.id, agent.id, 'block-unknown'), 'NOT_FOUND');
      await expectMemgateError(store.attachBlock(user.id, theirAgent.id, mine.id), 'NOT_FOUND');
      await expectMemgateError(store.attachBlock(user.id, 'agent-unknown', mine.id), 'NOT_FOUND');
      const human = await store.createBlock(newBlock(user.id, 'human', 'z'));
      await expectDetailError(store.attachBlock(user.id, agent.id, human.id), 'BAD_USER_INPUT', 'label_conflict');
      expect(await store.getAgent(user.id, agent.id)).toEqual(agent);
      expect((await store.getBlock(other.id, theirs.id))?.agentIds).toEqual([]);
    });

    it('detaches a block from one agent, keeping it and its other agents', async () => {
      const { store } = harness;
      const { user, team, first, second } = await seedShared(store);
      expect(await store.detachBlock(user.id, first.id, team.id)).toBe(true);
      expect((await store.getAgent(user.id, first.id))?.memory.map((block) => block.label)).toEqual([
        'persona',
        'human',
        'notes',
      ]);
      expect(await blockOf(store, user.id, second.id, 'team')).toMatchObject({ agentCount: 1 });
      expect((await store.getBlock(user.id, team.id))?.agentIds).toEqual([second.id]);
      expect(await store.detachBlock(user.id, first.id, team.id)).toBe(false);
      expect(await store.detachBlock(user.id, second.id, 'block-unknown')).toBe(false);
      const other = await store.createUser(newUser());
      expect(await store.detachBlock(other.id, second.id, team.id)).toBe(false);
      expect((await store.getBlock(user.id, team.id))?.agentIds).toEqual([second.id]);
    });

    it('lists the history newest first, a page at a time by version', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const block = await store.createBlock(newBlock(user.id, 'log', 'v1'));
      for (const value of ['v2', 'v3', 'v4', 'v5']) {
        await store.updateBlock(user.id, block.id, { value }, { actor: 'user' });
      }
      const versions = async (page: { limit: number; before?: number }) =>
        (await store.blockHistory(user.id, block.id, page))?.map((entry) => [entry.version, entry.value]);
      expect(await versions({ limit: 2 })).toEqual([
        [5, 'v5'],
        [4, 'v4'],
      ]);
      expect(await versions({ limit: 2, before: 4 })).toEqual([
        [3, 'v3'],
        [2, 'v2'],
      ]);
      expect(await versions({ limit: 10, before: 2 })).toEqual([[1, 'v1']]);
      expect(await versions({ limit: 10, before: 1 })).toEqual([]);
      expect(await store.blockHistory(user.id, 'block-unknown', { limit: 10 })).toBeNull();
    });
  });
}

/** Editing an agent, and what deleting one leaves of its blocks. */
function describeAgentEdits(harness: StoreHarness): void {
  describe('agent edits', () => {
    it('changes each field of an agent and nothing else', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const patches = [
        { name: 'renamed' },
        { model: 'gpt-4o-mini' },
        { system: 'Be brief.' },
        { contextWindow: 4096 },
        { tags: ['a', 'b'] },
        { metadata: { owner: 'ops' } },
        { metadata: null },
        {
          settings: {
            summaryModel: 'summariser',
            embeddingModel: 'embedder',
            fallbackModels: ['backup-a', 'backup-b'],
            maxStepsPerTurn: 3,
            maxTokensPerTurn: 20_000,
          },
        },
        { settings: { ...DEFAULT_AGENT_SETTINGS, fallbackModels: ['backup-b'] } },
      ];
      const { blockIds: _blockIds, ...expected } = agent;
      let current = expected;
      for (const patch of patches) {
        current = { ...current, ...patch };
        expect(await store.updateAgent(user.id, agent.id, patch)).toEqual(current);
        expect(await store.getAgent(user.id, agent.id)).toEqual(current);
      }
      expect(await store.updateAgent(user.id, agent.id, {})).toEqual(current);
    });

    it("answers null for another user's or a missing agent and changes nothing", async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const other = await store.createUser(newUser());
      expect(await store.updateAgent(other.id, agent.id, { name: 'stolen' })).toBeNull();
      expect(await store.updateAgent(user.id, 'agent-unknown', { name: 'ghost' })).toBeNull();
      expect(await store.getAgent(user.id, agent.id)).toEqual(agent);
    });

    it('deletes the blocks only the agent used, keeping standalone and still-shared ones', async () => {
      const { store } = harness;
      const { user, team, first, second } = await seedShared(store);
      const [persona, human, notes] = first.memory;
      const third = newAgent(user.id, { memory: [], blockIds: [persona!.id] });
      await store.createAgent(third);

      expect(await store.deleteAgent(user.id, first.id)).toBe(true);
      expect(await store.getBlock(user.id, human!.id)).toBeNull();
      expect(await store.getBlock(user.id, notes!.id)).toBeNull();
      expect(await store.blockHistory(user.id, human!.id, { limit: 10 })).toBeNull();
      expect((await store.getBlock(user.id, persona!.id))?.agentIds).toEqual([third.id]);
      expect((await store.getBlock(user.id, team.id))?.agentIds).toEqual([second.id]);

      expect(await store.deleteAgent(user.id, second.id)).toBe(true);
      expect((await store.getBlock(user.id, team.id))?.agentIds).toEqual([]);
      expect(await store.deleteAgent(user.id, third.id)).toBe(true);
      expect(ids(await store.listBlocks(user.id, { limit: 100 }))).toEqual([team.id]);
    });
  });
}

/** Custom and shared blocks, their writes and history, and editable agents (issue 16). */
export function describeBlocks(harness: StoreHarness): void {
  describeAgentBlocks(harness);
  describeSharedWrites(harness);
  describeBlockCrud(harness);
  describeAttachAndHistory(harness);
  describeAgentEdits(harness);
}
