import { describe, expect, it } from 'vitest';
import { embeddedPassage, expectMemgateError, ids, newPassage, seedAgent, unitVector } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

/** Archival memory: storing, listing and deleting passages. Search is in archival-search.ts. */
export function describeArchival(harness: StoreHarness): void {
  describe('archival passages', () => {
    it('stores passages and returns them without their vectors', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const plain = newPassage(agent.id, 'The user likes jazz.');
      const embedded = embeddedPassage(agent.id, 'The user owns a cat.', 'embed-1', unitVector(1, 0, 0));
      const stored = await store.insertPassages([plain, embedded]);
      expect(stored).toStrictEqual([
        { id: plain.id, agentId: agent.id, content: plain.content, embeddingModel: null, createdAt: plain.createdAt },
        {
          id: embedded.id,
          agentId: agent.id,
          content: embedded.content,
          embeddingModel: 'embed-1',
          createdAt: embedded.createdAt,
        },
      ]);
      expect(await store.listPassages(agent.id, { limit: 10 })).toEqual(stored);
    });

    it('pages like the history: the newest `limit` before the cursor, oldest first', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const { agent: other } = await seedAgent(store);
      const all = await store.insertPassages(['p1', 'p2', 'p3', 'p4', 'p5'].map((text) => newPassage(agent.id, text)));
      const [otherPassage] = await store.insertPassages([newPassage(other.id, 'o1')]);

      expect(ids(await store.listPassages(agent.id, { limit: 2 }))).toEqual(ids(all.slice(3)));
      expect(ids(await store.listPassages(agent.id, { limit: 2, before: all[3]!.id }))).toEqual(ids(all.slice(1, 3)));
      expect(await store.listPassages(agent.id, { limit: 10, before: all[0]!.id })).toEqual([]);
      expect(await store.listPassages(agent.id, { limit: 10, before: otherPassage!.id })).toEqual([]);
      expect(await store.listPassages(agent.id, { limit: 10, before: 'passage-unknown' })).toEqual([]);
      expect(ids(await store.listPassages(other.id, { limit: 10 }))).toEqual([otherPassage!.id]);
    });

    it('stores all passages of a batch or none (CONFLICT on a repeated id, NOT_FOUND for an unknown agent)', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const first = newPassage(agent.id, 'first');
      await expectMemgateError(store.insertPassages([first, newPassage(agent.id, 'second'), first]), 'CONFLICT');
      await expectMemgateError(store.insertPassages([newPassage('agent-unknown', 'lost')]), 'NOT_FOUND');
      expect(await store.listPassages(agent.id, { limit: 10 })).toEqual([]);
      expect(await store.listPassages('agent-unknown', { limit: 10 })).toEqual([]);
    });

    it('deletes a passage once, only for its own agent, and search forgets it', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const { agent: other } = await seedAgent(store);
      const [doomed, kept] = await store.insertPassages([
        newPassage(agent.id, 'the spare key is under the flowerpot'),
        newPassage(agent.id, 'the car key is in the drawer'),
      ]);
      expect(await store.deletePassage(other.id, doomed!.id)).toBe(false);
      expect(await store.deletePassage(agent.id, doomed!.id)).toBe(true);
      expect(await store.deletePassage(agent.id, doomed!.id)).toBe(false);
      expect(ids(await store.listPassages(agent.id, { limit: 10 }))).toEqual([kept!.id]);
      const search = await store.searchPassages(agent.id, { terms: ['key'], limit: 10, offset: 0 });
      expect({ total: search.total, hits: ids(search.hits) }).toEqual({ total: 1, hits: [kept!.id] });
    });

    it('removes the passages with their agent', async () => {
      const { store } = harness;
      const { user, agent } = await seedAgent(store);
      const { agent: other } = await seedAgent(store);
      await store.insertPassages([newPassage(agent.id, 'kayak trip'), newPassage(other.id, 'kayak trip')]);
      expect(await store.deleteAgent(user.id, agent.id)).toBe(true);
      expect(await store.listPassages(agent.id, { limit: 10 })).toEqual([]);
      expect((await store.searchPassages(agent.id, { terms: ['kayak'], limit: 10, offset: 0 })).total).toBe(0);
      expect((await store.searchPassages(other.id, { terms: ['kayak'], limit: 10, offset: 0 })).total).toBe(1);
    });
  });
}
