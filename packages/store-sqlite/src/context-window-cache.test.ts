import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_SETTINGS } from '@memgate/core';
import { userMessage as message } from '@memgate/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextWindowCache } from './context-window-cache.ts';
import { openDatabase } from './open-database.ts';
import { SqliteStore } from './sqlite-store.ts';
import { prepareStatements } from './statements.ts';

const now = () => new Date().toISOString();

describe('the context window read by one process while another writes the same file', () => {
  let dataDir: string;
  let reader: SqliteStore;
  let writer: SqliteStore;
  const agentId = 'agent-cache-test';

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-window-cache-'));
    reader = SqliteStore.open(dataDir);
    writer = SqliteStore.open(dataDir);
    await reader.migrate();
    await writer.migrate();
    await writer.createUser({ id: 'user-cache', name: 'cache', createdAt: now() });
    await writer.createAgent({
      id: agentId,
      userId: 'user-cache',
      name: 'cached',
      model: 'memgate-offline',
      system: 'system',
      contextWindow: 8192,
      createdAt: now(),
      memory: [{ id: `block-${agentId}`, label: 'human', value: '', limit: 100 }],
      tags: [],
      metadata: null,
      settings: { ...DEFAULT_AGENT_SETTINGS },
    });
  });
  afterEach(async () => {
    await reader.close();
    await writer.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const contents = async () => (await reader.listContextMessages(agentId)).map((stored) => stored.content);

  it('sees messages the other store appended after it read the window', async () => {
    await writer.commitStep({ agentId, messages: [message(agentId, 'one'), message(agentId, 'two')] });
    expect(await contents()).toEqual(['one', 'two']);
    await writer.commitStep({ agentId, messages: [message(agentId, 'three')] });
    expect(await contents()).toEqual(['one', 'two', 'three']);
  });

  it('follows a window start moved by the other store, and hands out copies callers may extend', async () => {
    const stored = await writer.commitStep({
      agentId,
      messages: ['a', 'b', 'c'].map((content) => message(agentId, content)),
    });
    const window = await reader.listContextMessages(agentId);
    window.push(window[0]!);
    expect(await contents()).toEqual(['a', 'b', 'c']);
    await writer.commitStep({
      agentId,
      messages: [message(agentId, 'd')],
      contextStartSeq: stored[2]!.seq,
      summary: { text: 'a and b happened', messageCount: 2, updatedAt: now() },
    });
    expect(await contents()).toEqual(['c', 'd']);
  });

  it('forgets an agent the other store deleted', async () => {
    await writer.commitStep({ agentId, messages: [message(agentId, 'kept?')] });
    expect(await contents()).toEqual(['kept?']);
    expect(await writer.deleteAgent('user-cache', agentId)).toBe(true);
    expect(await contents()).toEqual([]);
  });
});

describe('the context window cache budget', () => {
  it('drops the least recently read windows past its budget, and still answers correctly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'memgate-window-budget-'));
    const writer = SqliteStore.open(dataDir);
    await writer.migrate();
    await writer.createUser({ id: 'user-budget', name: 'budget', createdAt: now() });
    const agents = ['agent-budget-a', 'agent-budget-b'];
    for (const id of agents) {
      await writer.createAgent({
        id,
        userId: 'user-budget',
        name: id,
        model: 'memgate-offline',
        system: 'system',
        contextWindow: 8192,
        createdAt: now(),
        memory: [],
        tags: [],
        metadata: null,
        settings: { ...DEFAULT_AGENT_SETTINGS },
      });
      await writer.commitStep({ agentId: id, messages: [message(id, 'x'.repeat(1000))] });
    }
    const db = openDatabase(join(dataDir, 'memgate.sqlite'));
    const statements = prepareStatements(db);
    // Room for one window of about 1,200 characters, not two.
    const cache = new ContextWindowCache(() => statements, 1500);
    try {
      expect(cache.read(agents[0]!).map((stored) => stored.agentId)).toEqual([agents[0]]);
      expect(cache.size).toBeGreaterThan(1000);
      expect(cache.read(agents[1]!).map((stored) => stored.agentId)).toEqual([agents[1]]);
      expect(cache.size).toBeLessThanOrEqual(1500);
      expect(cache.read(agents[0]!)).toHaveLength(1);
      expect(cache.size).toBeLessThanOrEqual(1500);
    } finally {
      db.close();
      await writer.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
