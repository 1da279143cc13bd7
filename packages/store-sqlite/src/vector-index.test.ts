import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewPassage } from '@memgate/core';
import { DEFAULT_AGENT_SETTINGS } from '@memgate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';

const root = mkdtempSync(join(tmpdir(), 'memgate-vector-index-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const unit = (...values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
};

function passage(id: string, vector: Float32Array): NewPassage {
  return {
    id,
    agentId: 'agent-1',
    content: `passage ${id}`,
    embeddingModel: 'embed',
    embedding: vector,
    createdAt: new Date().toISOString(),
  };
}

describe('the in-memory vector index of the SQLite store', () => {
  it('sees passages added and deleted after it was built, by this process or another', async () => {
    const filename = join(root, 'vectors.sqlite');
    const store = new SqliteStore({ filename });
    await store.migrate();
    await store.createUser({ id: 'user-1', name: 'ada', createdAt: new Date().toISOString() });
    await store.createAgent({
      id: 'agent-1',
      userId: 'user-1',
      name: 'a',
      model: 'm',
      system: 's',
      contextWindow: 8192,
      createdAt: new Date().toISOString(),
      memory: [],
      tags: [],
      metadata: null,
      settings: { ...DEFAULT_AGENT_SETTINGS },
    });
    const query = { model: 'embed', vector: unit(1, 0) };
    /** The ids found, checked against the total: a stale index would count a deleted passage. */
    const nearest = async (target: SqliteStore) => {
      const found = await target.searchPassages('agent-1', {
        terms: [],
        limit: 10,
        offset: 0,
        embedding: query,
        minSimilarity: 0.5,
      });
      expect(found.total).toBe(found.hits.length);
      return found.hits.map((hit) => hit.id);
    };

    await store.insertPassages([passage('p-close', unit(1, 0.1)), passage('p-far', unit(0, 1))]);
    expect(await nearest(store)).toEqual(['p-close']);

    await store.insertPassages([passage('p-closest', unit(1, 0))]);
    expect(await nearest(store)).toEqual(['p-closest', 'p-close']);

    // A second connection stands for another process sharing the file.
    const other = new SqliteStore({ filename });
    await other.migrate();
    expect(await other.deletePassage('agent-1', 'p-closest')).toBe(true);
    await other.insertPassages([passage('p-new', unit(1, 0.3))]);
    expect(await nearest(store)).toEqual(['p-close', 'p-new']);
    expect(await nearest(other)).toEqual(['p-close', 'p-new']);

    await other.close();
    await store.close();
  });
});
