import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemgateError } from '@memgate/core';
import { newAgent, newUser, userMessage } from '@memgate/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connect } from './driver.ts';
import { applyMigrations, MIGRATIONS } from './migrations.ts';
import { SqliteStore } from './sqlite-store.ts';

/*
 * What the SQLite store does with blocks beyond the conformance suite: a store opened on a
 * version-8 file keeps serving its agents, concurrent writes in one writer group, and its own
 * refusals.
 */

const root = mkdtempSync(join(tmpdir(), 'memgate-sqlite-blocks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const opened: SqliteStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

function caseFile(): string {
  return join(mkdtempSync(join(root, 'case-')), 'memgate.sqlite');
}

async function openStore(filename = caseFile()): Promise<SqliteStore> {
  const store = new SqliteStore({ filename });
  opened.push(store);
  await store.migrate();
  return store;
}

async function rejection(promise: Promise<unknown>): Promise<MemgateError> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: MemgateError) => error,
  );
}

describe('a store opened on a version-8 database', () => {
  it('serves the moved blocks, writes them in turns and keeps their history', async () => {
    const filename = caseFile();
    const old = connect(filename);
    applyMigrations(old, MIGRATIONS.slice(0, 8));
    old.exec(`INSERT INTO users (id, name, created_at) VALUES ('user-1', 'old', '2026-01-01T00:00:00.000Z');
      INSERT INTO agents (id, user_id, name, model, system, context_window, created_at)
      VALUES ('agent-1', 'user-1', 'a', 'm', 's', 8192, '2026-01-02T00:00:00.000Z');
      INSERT INTO conversations (id, agent_id, created_at, updated_at)
      VALUES ('agent-1', 'agent-1', '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
      INSERT INTO memory_blocks (agent_id, label, value, "limit", position, version)
      VALUES ('agent-1', 'persona', 'I help.', 2000, 0, 3), ('agent-1', 'human', 'Ada', 500, 1, 1)`);
    old.close();

    const store = await openStore(filename);
    const agent = await store.getAgent('user-1', 'agent-1');
    expect(agent?.tags).toEqual([]);
    expect(agent?.metadata).toBeNull();
    expect(agent?.memory).toEqual([
      {
        id: expect.stringMatching(/^block-/),
        label: 'persona',
        value: 'I help.',
        limit: 2000,
        description: null,
        readOnly: false,
        version: 3,
        agentCount: 1,
      },
      {
        id: expect.stringMatching(/^block-/),
        label: 'human',
        value: 'Ada',
        limit: 500,
        description: null,
        readOnly: false,
        version: 1,
        agentCount: 1,
      },
    ]);
    const message = userMessage('agent-1', 'I am Ada Lovelace.');
    await store.commitStep({
      agentId: 'agent-1',
      messages: [message],
      memory: [{ label: 'human', value: 'Ada Lovelace', version: 1 }],
    });
    const humanId = agent?.memory[1]?.id ?? '';
    expect(await store.blockHistory('user-1', humanId, { limit: 10 })).toMatchObject([
      { version: 2, value: 'Ada Lovelace', actor: 'agent', agentId: 'agent-1', messageId: message.id },
      { version: 1, value: 'Ada', actor: 'user', agentId: null, messageId: null },
    ]);
    expect(await store.listBlocks('user-1', { limit: 10 })).toMatchObject([
      { label: 'persona', agentIds: ['agent-1'] },
      { label: 'human', value: 'Ada Lovelace', version: 2, agentIds: ['agent-1'] },
    ]);
    // Moved blocks were made with their agent: they go with it.
    expect(await store.deleteAgent('user-1', 'agent-1')).toBe(true);
    expect(await store.listBlocks('user-1', { limit: 10 })).toEqual([]);
  });
});

describe('concurrent writes of a shared block', () => {
  it('lets one of two steps made from the same version win; the other fails with memory_conflict', async () => {
    // A file, so that the writes go to the writer thread and are committed there as one group.
    const store = await openStore();
    const user = newUser();
    await store.createUser(user);
    const first = newAgent(user.id);
    await store.createAgent(first);
    const shared = first.memory[0]!;
    const second = newAgent(user.id, { memory: [], blockIds: [shared.id] });
    await store.createAgent(second);

    const steps = [first, second].map((agent, index) =>
      store.commitStep({
        agentId: agent.id,
        messages: [userMessage(agent.id, `edit ${index}`)],
        memory: [{ label: shared.label, value: `value ${index}`, version: 1 }],
      }),
    );
    const outcomes = await Promise.allSettled(steps);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT', detailCode: 'memory_conflict' });

    const winner = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
    const history = await store.blockHistory(user.id, shared.id, { limit: 10 });
    expect(history?.map((entry) => [entry.version, entry.value])).toEqual([
      [2, `value ${winner}`],
      [1, shared.value],
    ]);
    // The losing step left no message behind.
    const loser = [first, second][1 - winner]!;
    expect(await store.listMessages(loser.id, { limit: 10 })).toEqual([]);
  });
});

describe('refusals of the SQLite store', () => {
  async function seeded() {
    const store = await openStore();
    const user = newUser();
    await store.createUser(user);
    const agent = newAgent(user.id);
    await store.createAgent(agent);
    return { store, user, agent, block: agent.memory[0]! };
  }

  it('refuses a block update whose value would exceed its limit, and changes nothing', async () => {
    const { store, user, block } = await seeded();
    const shrink = await rejection(store.updateBlock(user.id, block.id, { limit: 3 }, { actor: 'user' }));
    expect(shrink).toMatchObject({ code: 'BAD_USER_INPUT', param: 'limit' });
    const grow = await rejection(
      store.updateBlock(user.id, block.id, { value: 'x'.repeat(block.limit + 1) }, { actor: 'user' }),
    );
    expect(grow).toMatchObject({ code: 'BAD_USER_INPUT', param: 'value' });
    expect(await store.getBlock(user.id, block.id)).toMatchObject({
      value: block.value,
      limit: block.limit,
      version: 1,
    });
    expect(await store.blockHistory(user.id, block.id, { limit: 10 })).toHaveLength(1);
  });

  it('refuses a context window that is not a positive integer, and changes nothing', async () => {
    const { store, user, agent } = await seeded();
    const error = await rejection(store.updateAgent(user.id, agent.id, { contextWindow: 0, name: 'renamed' }));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', param: 'context_window' });
    expect(await store.getAgent(user.id, agent.id)).toMatchObject({ name: agent.name, contextWindow: 8192 });
  });

  it('writes nothing of an import whose window start is outside its messages', async () => {
    const { store, user } = await seeded();
    const agent = newAgent(user.id);
    const message = userMessage(agent.id, 'hello');
    await expect(
      store.importAgents({
        blocks: [],
        agents: [{ agent, messages: [message], windowStart: 2, summary: null, passages: [] }],
      }),
    ).rejects.toThrow(/window start/);
    expect(await store.getAgent(user.id, agent.id)).toBeNull();
    expect(await store.listBlocks(user.id, { limit: 10 })).toHaveLength(3);
  });
});
