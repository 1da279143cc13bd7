import { describe, expect, it } from 'vitest';
import { expectMemgateError, memoryBlock, newAgent, newUser, seedAgent } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

/** Agents, their scoping by user, and their memory blocks. */
export function describeAgents(harness: StoreHarness): void {
  describe('agents', () => {
    it('creates an agent and reads it back with its memory blocks in order', async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const agent = newAgent(user.id);
      expect(await store.createAgent(agent)).toEqual(agent);
      const read = await store.getAgent(user.id, agent.id);
      expect(read).toEqual(agent);
      expect(read?.memory.map((block) => block.label)).toEqual(['persona', 'human', 'notes']);
    });

    it('hides an agent from every other user', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(harness.store);
      const other = await store.createUser(newUser());

      expect(await store.getAgent(other.id, agent.id)).toBeNull();
      expect(await store.listAgents(other.id)).toEqual([]);
      expect(await store.deleteAgent(other.id, agent.id)).toBe(false);
      expect(await store.getAgent(user.id, agent.id)).toEqual(agent);
    });

    it("lists a user's agents, each with its own memory", async () => {
      const { store } = harness;
      const user = await store.createUser(newUser());
      const other = await store.createUser(newUser());
      const first = newAgent(user.id, {
        name: 'first',
        memory: [memoryBlock('persona', 'one', 10)],
      });
      const second = newAgent(user.id, {
        name: 'second',
        memory: [memoryBlock('persona', 'two', 20)],
      });
      await store.createAgent(first);
      await store.createAgent(second);
      await store.createAgent(newAgent(other.id));

      const listed = await store.listAgents(user.id);
      expect(listed.sort((a, b) => a.name.localeCompare(b.name))).toEqual([first, second]);
    });

    it('refuses a second agent with the same id with CONFLICT, even for another user', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const other = await store.createUser(newUser());
      await expectMemgateError(store.createAgent({ ...agent, name: 'copy' }), 'CONFLICT');
      await expectMemgateError(store.createAgent({ ...agent, userId: other.id }), 'CONFLICT');
      expect(await store.getAgent(user.id, agent.id)).toEqual(agent);
      expect(await store.listAgents(other.id)).toEqual([]);
    });

    it('refuses an agent for a user that does not exist', async () => {
      const agent = newAgent('user-unknown');
      await expect(harness.store.createAgent(agent)).rejects.toThrow();
      expect(await harness.store.getAgent('user-unknown', agent.id)).toBeNull();
    });

    it('deletes an agent once, for its owner', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      expect(await store.deleteAgent(user.id, agent.id)).toBe(true);
      expect(await store.getAgent(user.id, agent.id)).toBeNull();
      expect(await store.listAgents(user.id)).toEqual([]);
      expect(await store.deleteAgent(user.id, agent.id)).toBe(false);
    });
  });

  describe('memory blocks', () => {
    it('sets one block, keeping its limit, its place and the other agents untouched', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const other = newAgent(user.id);
      await store.createAgent(other);

      const persona = { ...agent.memory[0]!, value: 'I am terse.', version: 2 };
      expect(await store.setMemoryBlock(agent.id, 'persona', 'I am terse.')).toEqual(persona);
      const read = await store.getAgent(user.id, agent.id);
      expect(read?.memory).toEqual([persona, ...agent.memory.slice(1)]);
      expect(await store.getAgent(user.id, other.id)).toEqual(other);
    });

    it('answers null for an unknown block or agent and creates nothing', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      expect(await store.setMemoryBlock(agent.id, 'missing', 'x')).toBeNull();
      expect(await store.setMemoryBlock('agent-unknown', 'persona', 'x')).toBeNull();
      expect(await store.getAgent(user.id, agent.id)).toEqual(agent);
    });
  });
}
