import { randomUUID } from 'node:crypto';
import type { NewAgent, Store } from '@memgate/core';
import { DEFAULT_AGENT_SETTINGS } from '@memgate/core';
import { userMessage as message } from '@memgate/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.ts';
import { createTemporarySchema, type TemporarySchema } from './temporary-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
const now = () => new Date().toISOString();

function agent(id: string): NewAgent {
  return {
    id,
    userId: 'user-cache',
    name: 'cached',
    model: 'memgate-offline',
    system: 'system',
    contextWindow: 8192,
    createdAt: now(),
    memory: [{ id: `block-${randomUUID()}`, label: 'human', value: '', limit: 100 }],
    tags: [],
    metadata: null,
    settings: { ...DEFAULT_AGENT_SETTINGS },
  };
}

describe.skipIf(!databaseUrl)('the context window read by one instance while another writes the same database', () => {
  let schema: TemporarySchema;
  let reader: PostgresStore;
  let writer: PostgresStore;
  const agentId = 'agent-pg-cache';

  beforeAll(async () => {
    schema = await createTemporarySchema(databaseUrl!);
    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.migrate();
    await store.createUser({ id: 'user-cache', name: 'cache', createdAt: now() });
    await store.close();
  });
  afterAll(async () => {
    await schema?.drop();
  });
  beforeEach(async () => {
    reader = new PostgresStore({ connectionString: schema.connectionString });
    writer = new PostgresStore({ connectionString: schema.connectionString });
    await writer.deleteAgent('user-cache', agentId);
    await writer.createAgent(agent(agentId));
  });
  afterEach(async () => {
    await reader.close();
    await writer.close();
  });

  const contents = async (store: Store = reader) =>
    (await store.listContextMessages(agentId)).map((stored) => stored.content);

  it('sees messages the other store appended after it read the window', async () => {
    await writer.commitStep({ agentId, messages: [message(agentId, 'one'), message(agentId, 'two')] });
    expect(await contents()).toEqual(['one', 'two']);
    await writer.commitStep({ agentId, messages: [message(agentId, 'three')] });
    expect(await contents()).toEqual(['one', 'two', 'three']);
    await reader.commitStep({ agentId, messages: [message(agentId, 'four')] });
    await writer.commitStep({ agentId, messages: [message(agentId, 'five')] });
    expect(await contents()).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(await contents(writer)).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('follows a window start and summary moved by the other store, and hands out copies callers may extend', async () => {
    const stored = await writer.commitStep({
      agentId,
      messages: ['a', 'b', 'c'].map((content) => message(agentId, content)),
    });
    const window = await reader.listContextMessages(agentId);
    window.push(window[0]!);
    expect(await contents()).toEqual(['a', 'b', 'c']);
    expect(await reader.getContextSummary(agentId)).toBeNull();
    const summary = { text: 'a and b happened', messageCount: 2, updatedAt: now() };
    await writer.commitStep({ agentId, messages: [message(agentId, 'd')], contextStartSeq: stored[2]!.seq, summary });
    const [readSummary, readWindow] = await Promise.all([
      reader.getContextSummary(agentId),
      reader.listContextMessages(agentId),
    ]);
    expect(readSummary).toEqual(summary);
    expect(readWindow.map((stored) => stored.content)).toEqual(['c', 'd']);
    // Moved back (only a store bug or a restore would do it): the whole window is read again.
    await writer.commitStep({ agentId, messages: [], contextStartSeq: stored[0]!.seq });
    expect(await contents()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sees images the other store wrote, with their messages', async () => {
    expect(await contents()).toEqual([]);
    const image = {
      textOffset: 0,
      detail: 'low' as const,
      url: null,
      mediaType: 'image/png',
      data: new Uint8Array([1, 2, 3]),
    };
    await writer.commitStep({ agentId, messages: [message(agentId, 'look', { attachments: [image] })] });
    const [stored] = await reader.listContextMessages(agentId);
    expect(stored?.attachments).toEqual([image]);
    expect((await reader.listMessages(agentId, { limit: 5 }))[0]?.attachments).toEqual([image]);
  });

  it('forgets an agent the other store deleted, and does not mix it with a new agent of the same id', async () => {
    await writer.commitStep({ agentId, messages: [message(agentId, 'old life')] });
    expect(await contents()).toEqual(['old life']);
    expect(await writer.deleteAgent('user-cache', agentId)).toBe(true);
    await writer.createAgent(agent(agentId));
    await writer.commitStep({ agentId, messages: [message(agentId, 'new life')] });
    expect(await contents()).toEqual(['new life']);
    expect(await writer.deleteAgent('user-cache', agentId)).toBe(true);
    expect(await contents()).toEqual([]);
    expect(await reader.getContextSummary(agentId)).toBeNull();
  });

  it('keeps conversations apart, and does not mix a deleted one with a new one of the same id', async () => {
    const conversation = (id: string) => ({
      id,
      agentId,
      name: null,
      metadata: null,
      createdAt: now(),
      updatedAt: now(),
    });
    const other = 'conv-pg-cache';
    await writer.createConversation(conversation(other));
    await writer.commitStep({ agentId, messages: [message(agentId, 'default')] });
    await writer.commitStep({ agentId, conversationId: other, messages: [message(agentId, 'other')] });
    const [inDefault, inOther] = await Promise.all([
      reader.listContextMessages(agentId),
      reader.listContextMessages(other),
    ]);
    expect(inDefault.map((stored) => stored.content)).toEqual(['default']);
    expect(inOther.map((stored) => [stored.content, stored.conversationId])).toEqual([['other', other]]);
    expect(await writer.deleteConversation(other)).toBe(true);
    expect(await reader.listContextMessages(other)).toEqual([]);
    await writer.createConversation(conversation(other));
    await writer.commitStep({ agentId, conversationId: other, messages: [message(agentId, 'reborn')] });
    expect((await reader.listContextMessages(other)).map((stored) => stored.content)).toEqual(['reborn']);
    // Re-read after the cached copy: the recreated conversation's window, not the old one's rows.
    await writer.deleteConversation(other);
    await writer.createConversation(conversation(other));
    expect(await reader.listContextMessages(other)).toEqual([]);
    expect(await contents()).toEqual(['default']);
  });

  it('misses no message when two stores commit at the same time while a third reads', async () => {
    const third = new PostgresStore({ connectionString: schema.connectionString });
    try {
      const reads: Promise<unknown>[] = [];
      const writes: Promise<unknown>[] = [];
      for (let index = 0; index < 40; index++) {
        const store = index % 2 === 0 ? writer : reader;
        writes.push(store.commitStep({ agentId, messages: [message(agentId, `m${index}`)] }));
        reads.push(third.listContextMessages(agentId));
      }
      await Promise.all([...writes, ...reads]);
      const fresh = new PostgresStore({ connectionString: schema.connectionString });
      try {
        const expected = (await fresh.listContextMessages(agentId)).map((stored) => stored.seq);
        expect(expected).toHaveLength(40);
        expect((await third.listContextMessages(agentId)).map((stored) => stored.seq)).toEqual(expected);
        expect((await reader.listContextMessages(agentId)).map((stored) => stored.seq)).toEqual(expected);
      } finally {
        await fresh.close();
      }
    } finally {
      await third.close();
    }
  });
});
