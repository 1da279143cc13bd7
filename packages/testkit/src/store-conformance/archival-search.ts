import type { Passage, PassageSearch } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { embeddedPassage, ids, newPassage, seedAgent, unitVector } from './fixtures.ts';
import type { StoreHarness } from './store-harness.ts';

const contents = (passages: Passage[]) => passages.map((passage) => passage.content);

/**
 * Archival search. Expectations are about order and membership, never scores, so that BM25
 * (FTS5), ts_rank (PostgreSQL) and their fusion with vector similarity all pass.
 */
export function describeArchivalSearch(harness: StoreHarness): void {
  async function search(agentId: string, query: Partial<PassageSearch> & { terms: string[] }) {
    return harness.store.searchPassages(agentId, { limit: 10, offset: 0, ...query });
  }

  describe('searchPassages by text', () => {
    it('ranks the passage containing the query words first and counts every match', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const { agent: other } = await seedAgent(store);
      await store.insertPassages([
        newPassage(agent.id, 'Ada mentioned her sister lives in Lisbon.'),
        newPassage(agent.id, 'Ada is allergic to peanuts and her favourite food is ramen.'),
        newPassage(agent.id, 'The weather in Lisbon was sunny on her last trip.'),
        newPassage(agent.id, 'Meeting notes: quarterly budget review.'),
      ]);
      await store.insertPassages([newPassage(other.id, 'Favourite food: ramen, ramen and ramen.')]);

      const found = await search(agent.id, { terms: ['favourite', 'food'] });
      expect(found.total).toBe(1);
      expect(contents(found.hits)).toEqual(['Ada is allergic to peanuts and her favourite food is ramen.']);

      const both = await search(agent.id, { terms: ['sister', 'lisbon'] });
      expect(both.total).toBe(2);
      expect(both.hits[0]?.content).toBe('Ada mentioned her sister lives in Lisbon.');
    });

    it('matches other forms of a word and ignores case', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      await store.insertPassages([newPassage(agent.id, 'We went to three Concerts last summer.')]);
      expect((await search(agent.id, { terms: ['concert'] })).total).toBe(1);
      expect((await search(agent.id, { terms: ['summer'] })).total).toBe(1);
    });

    it('pages through the ranking without gaps or repeats', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      const stored = await store.insertPassages(
        Array.from({ length: 7 }, (_, index) => newPassage(agent.id, `garden note ${index}: water the tomatoes`)),
      );
      await store.insertPassages([newPassage(agent.id, 'unrelated')]);
      const pages = [];
      for (let offset = 0; offset < 9; offset += 3) {
        pages.push(await search(agent.id, { terms: ['tomatoes'], limit: 3, offset }));
      }
      expect(pages.map((page) => page.total)).toEqual([7, 7, 7]);
      expect(pages.map((page) => page.hits.length)).toEqual([3, 3, 1]);
      expect(new Set(pages.flatMap((page) => ids(page.hits)))).toEqual(new Set(ids(stored)));
      expect((await search(agent.id, { terms: ['tomatoes'], offset: 50 })).hits).toEqual([]);
    });

    it('finds nothing for no terms, unknown words, or another agent', async () => {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      await store.insertPassages([newPassage(agent.id, 'a passage about sailing')]);
      expect(await search(agent.id, { terms: [] })).toEqual({ total: 0, hits: [] });
      expect(await search(agent.id, { terms: ['zeppelin'] })).toEqual({ total: 0, hits: [] });
      expect(await search('agent-unknown', { terms: ['sailing'] })).toEqual({ total: 0, hits: [] });
    });
  });

  describe('searchPassages with a query vector (hybrid)', () => {
    /** Passages on 3-dimensional "topics": x = pets, y = travel, z = food. */
    async function seedTopics() {
      const { store } = harness;
      const { agent } = await seedAgent(store);
      await store.insertPassages([
        embeddedPassage(agent.id, 'Whiskers the tabby sleeps all day.', 'embed-1', unitVector(1, 0.1, 0)),
        embeddedPassage(agent.id, 'Booked flights to Kyoto for April.', 'embed-1', unitVector(0, 1, 0.1)),
        embeddedPassage(agent.id, 'Our cat needs a vet visit.', 'embed-1', unitVector(0.9, 0, 0.2)),
        embeddedPassage(agent.id, 'Recipe: miso soup with tofu.', 'embed-1', unitVector(0.1, 0, 1)),
        // Same topic, but a vector from another model: never compared with embed-1 queries.
        embeddedPassage(agent.id, 'Adopted a kitten named Pip.', 'embed-2', unitVector(1, 0, 0)),
        newPassage(agent.id, 'Cat food is on the shopping list.'),
      ]);
      return agent;
    }
    const pets = { model: 'embed-1', vector: unitVector(1, 0, 0) };

    it('finds passages that match in meaning though they share no word with the query', async () => {
      const agent = await seedTopics();
      const found = await search(agent.id, { terms: ['kitty'], embedding: pets, minSimilarity: 0.5 });
      expect(contents(found.hits)).toEqual(['Whiskers the tabby sleeps all day.', 'Our cat needs a vet visit.']);
      expect(found.total).toBe(2);
    });

    it('ranks a passage that matches in words and in meaning above those matching in one only', async () => {
      const agent = await seedTopics();
      const found = await search(agent.id, { terms: ['cat'], embedding: pets, minSimilarity: 0.5 });
      expect(found.hits[0]?.content).toBe('Our cat needs a vet visit.');
      expect(new Set(contents(found.hits))).toEqual(
        new Set([
          'Our cat needs a vet visit.',
          'Whiskers the tabby sleeps all day.',
          'Cat food is on the shopping list.',
        ]),
      );
      expect(found.total).toBe(3);
    });

    it('leaves out vectors below the similarity floor, and pages the fused ranking', async () => {
      const agent = await seedTopics();
      const travel = { model: 'embed-1', vector: unitVector(0, 1, 0) };
      const strict = await search(agent.id, { terms: [], embedding: travel, minSimilarity: 0.9 });
      expect(contents(strict.hits)).toEqual(['Booked flights to Kyoto for April.']);
      const loose = await search(agent.id, { terms: [], embedding: travel, minSimilarity: -1, limit: 2 });
      expect(loose.total).toBe(4);
      const next = await search(agent.id, { terms: [], embedding: travel, minSimilarity: -1, limit: 2, offset: 2 });
      expect(new Set([...ids(loose.hits), ...ids(next.hits)]).size).toBe(4);
    });
  });
}
