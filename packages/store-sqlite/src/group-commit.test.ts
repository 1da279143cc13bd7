import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_SETTINGS, MemgateError, type NewMessage } from '@memgate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deserialiseError, GroupCommit } from './group-commit.ts';
import { openDatabase } from './open-database.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { WriteAnswer } from './write-operations.ts';

const now = () => new Date().toISOString();
const agentId = 'agent-group';
let counter = 0;
function message(content: string, id = `message-group-${++counter}`): NewMessage {
  return { id, agentId, role: 'user', content, toolCalls: null, toolCallId: null, name: null, createdAt: now() };
}

describe('group commit of the SQLite writer', () => {
  let dataDir: string;
  let store: SqliteStore;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-group-commit-'));
    store = SqliteStore.open(dataDir);
    await store.migrate();
    await store.createUser({ id: 'user-group', name: 'group', createdAt: now() });
    await store.createAgent({
      id: agentId,
      userId: 'user-group',
      name: 'grouped',
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
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const contents = async () => (await store.listMessages(agentId, { limit: 100 })).map((stored) => stored.content);

  it('commits the writes of one group around a failing one, which alone is undone', async () => {
    // On the store's file through a connection of its own, as the writer thread runs it.
    const db = openDatabase(join(dataDir, 'memgate.sqlite'));
    const group = new GroupCommit(db);
    const step = (messages: NewMessage[]) => ({ agentId, messages });
    const answers = group.run([
      { id: 1, operation: 'commitStep', arguments: [step([message('first')])] },
      // Its second message repeats the first one's id: the whole step fails, its first message with
      // it, so the id is free again for write 5.
      {
        id: 2,
        operation: 'commitStep',
        arguments: [step([message('half', 'message-group-dup'), message('dup', 'message-group-dup')])],
      },
      { id: 3, operation: 'commitStep', arguments: [step([message('second')])] },
      { id: 4, operation: 'commitStep', arguments: [{ ...step([]), agentId: 'agent-missing', contextStartSeq: 1 }] },
      { id: 5, operation: 'commitStep', arguments: [step([message('third', 'message-group-dup')])] },
    ]);
    db.close();
    expect(answers.map((answer) => answer.ok)).toEqual([true, false, true, false, true]);
    const error = (answer: WriteAnswer | undefined) =>
      answer && !answer.ok ? deserialiseError(answer.error) : new Error('not a failure');
    expect(error(answers[1])).toBeInstanceOf(MemgateError);
    expect((error(answers[1]) as MemgateError).code).toBe('CONFLICT');
    expect((error(answers[3]) as MemgateError).code).toBe('NOT_FOUND');
    expect(await contents()).toEqual(['first', 'second', 'third']);
  });

  it('answers each of many concurrent writes with its own result, in order', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) =>
        store.commitStep({
          agentId,
          messages: [message(`turn ${index}`, index === 7 ? 'message-group-taken' : undefined)],
        }),
      ).concat(store.commitStep({ agentId, messages: [message('again', 'message-group-taken')] })),
    );
    const stored = results.slice(0, 40).map((result) => (result.status === 'fulfilled' ? result.value : []));
    expect(stored.map((messages) => messages[0]?.content)).toEqual(Array.from({ length: 40 }, (_, i) => `turn ${i}`));
    const seqs = stored.map((messages) => messages[0]!.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const last = results[40]!;
    expect(last.status).toBe('rejected');
    expect(last.status === 'rejected' && (last.reason as MemgateError).code).toBe('CONFLICT');
    expect(await contents()).toHaveLength(40);
  });

  it('commits every queued write before close() returns', async () => {
    const pending = Array.from({ length: 10 }, (_, index) =>
      store.commitStep({ agentId, messages: [message(`queued ${index}`)] }),
    );
    await store.close();
    await Promise.all(pending);
    store = SqliteStore.open(dataDir);
    await store.migrate();
    expect(await contents()).toEqual(Array.from({ length: 10 }, (_, index) => `queued ${index}`));
  });
});
