import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_SETTINGS } from '@memgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';

const root = mkdtempSync(join(tmpdir(), 'memgate-ranked-'));
const store = new SqliteStore({ filename: join(root, 'ranked.sqlite') });
afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('ranking a query whose terms are in most passages', () => {
  const passages = 1200;
  beforeAll(async () => {
    await store.migrate();
    const createdAt = new Date().toISOString();
    await store.createUser({ id: 'user-1', name: 'ada', createdAt });
    await store.createAgent({
      id: 'agent-1',
      userId: 'user-1',
      name: 'a',
      model: 'm',
      system: 's',
      contextWindow: 8192,
      createdAt,
      memory: [],
      tags: [],
      metadata: null,
      settings: { ...DEFAULT_AGENT_SETTINGS },
    });
    await store.insertPassages(
      Array.from({ length: passages }, (_, index) => ({
        id: `passage-${index}`,
        agentId: 'agent-1',
        // Every passage mentions the user; every 100th also sailing, twice in the last one.
        content: `The user noted item ${index}.${index % 100 === 0 ? ' Sailing lesson.' : ''}${index === 1100 ? ' Sailing again.' : ''}`,
        embeddingModel: null,
        embedding: null,
        createdAt,
      })),
    );
  });

  const search = (offset: number, limit: number) =>
    store.searchPassages('agent-1', { terms: ['user', 'sailing'], limit, offset });

  it('puts the passages with the informative term first, counts every match, and pages without gaps', async () => {
    const first = await search(0, 5);
    expect(first.total).toBe(passages);
    expect(first.hits[0]?.id).toBe('passage-1100');
    expect(first.hits.every((hit) => hit.content.includes('Sailing'))).toBe(true);

    const across = await search(10, 4);
    expect(across.hits.map((hit) => hit.content.includes('Sailing'))).toEqual([true, true, false, false]);
    // After the informative matches, the rest follow newest first.
    expect(across.hits.slice(2).map((hit) => hit.id)).toEqual(['passage-1199', 'passage-1198']);

    const seen = new Set<string>();
    for (let offset = 0; offset < passages; offset += 100) {
      for (const hit of (await search(offset, 100)).hits) seen.add(hit.id);
    }
    expect(seen.size).toBe(passages);
  });
});
