import { randomUUID } from 'node:crypto';
import { DEFAULT_AGENT_SETTINGS } from '@memgate/core';
import { runStoreConformance } from '@memgate/testkit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.ts';
import { createTemporarySchema, type TemporarySchema } from './temporary-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl)
  console.warn('DATABASE_URL is not set: skipping the PostgreSQL store tests (CI sets it; see .ci/run).');

describe.skipIf(!databaseUrl)('PostgresStore on a real PostgreSQL', () => {
  let schema: TemporarySchema;
  beforeAll(async () => {
    schema = await createTemporarySchema(databaseUrl!);
  });
  afterAll(async () => {
    await schema?.drop();
  });

  /** A raw connection to the test schema, to look at what the store wrote. */
  async function inspect<T>(read: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: schema.connectionString });
    await client.connect();
    try {
      return await read(client);
    } finally {
      await client.end();
    }
  }

  runStoreConformance({
    name: 'postgres',
    open: async () => new PostgresStore({ connectionString: schema.connectionString }),
    // Emptying the tables (not dropping them) keeps the suite fast: DDL per test costs far more.
    reset: () =>
      inspect(async (client) => {
        const { rows } = await client.query<{ tablename: string }>(
          "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'",
        );
        if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((row) => row.tablename).join(', ')}`);
      }),
  });

  describe('beyond the conformance suite', () => {
    const opened: PostgresStore[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });
    function open(): PostgresStore {
      const store = new PostgresStore({ connectionString: schema.connectionString });
      opened.push(store);
      return store;
    }

    it('refuses a database migrated by a newer memgate', async () => {
      const store = open();
      await store.migrate();
      await inspect((client) => client.query("INSERT INTO schema_migrations VALUES (9999, 'later')"));
      try {
        await expect(open().migrate()).rejects.toThrow(/newer/);
      } finally {
        await inspect((client) => client.query('DELETE FROM schema_migrations WHERE version = 9999'));
      }
    });

    it('writes two versioned edits of one block in one step as two writes, one after the other', async () => {
      const store = open();
      await store.migrate();
      const suffix = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const user = await store.createUser({ id: `user-${suffix}`, name: `twice-${suffix}`, createdAt: 'now' });
      const agent = await store.createAgent({
        id: `agent-twice-${suffix}`,
        userId: user.id,
        name: 'twice',
        model: 'm',
        system: 's',
        contextWindow: 100,
        createdAt: 'now',
        memory: [{ id: `block-${randomUUID()}`, label: 'human', value: 'a', limit: 10 }],
        tags: [],
        metadata: null,
        settings: { ...DEFAULT_AGENT_SETTINGS },
      });
      const memory = [
        { label: 'human', value: 'ab', version: 1 },
        { label: 'human', value: 'abc', version: 2 },
      ];
      await store.commitStep({ agentId: agent.id, messages: [], memory });
      expect((await store.getAgent(user.id, agent.id))?.memory).toEqual([
        { ...agent.memory[0], value: 'abc', version: 3 },
      ]);
      // One history row for the step: the block as it left it (its in-between value was never read).
      expect(
        (await store.blockHistory(user.id, agent.memory[0]!.id!, { limit: 10 }))?.map((entry) => entry.version),
      ).toEqual([3, 1]);
      await expect(store.commitStep({ agentId: agent.id, messages: [], memory })).rejects.toMatchObject({
        code: 'CONFLICT',
        detailCode: 'memory_conflict',
      });
    });

    it('stores a NUL character as U+FFFD instead of failing the write', async () => {
      const store = open();
      await store.migrate();
      const user = await store.createUser({ id: `user-${Date.now()}`, name: `nul-${Date.now()}`, createdAt: 'now' });
      const agent = await store.createAgent({
        id: `agent-nul-${Date.now()}`,
        userId: user.id,
        name: 'n\u0000ul',
        model: 'm',
        system: 's',
        contextWindow: 100,
        createdAt: 'now',
        memory: [{ id: `block-${randomUUID()}`, label: 'human', value: 'a\u0000b', limit: 10 }],
        tags: [],
        metadata: null,
        settings: { ...DEFAULT_AGENT_SETTINGS },
      });
      expect(agent.name).toBe('n\uFFFDul');
      const message = {
        id: `msg-nul-${Date.now()}`,
        agentId: agent.id,
        role: 'user' as const,
        content: 'x\u0000y',
        toolCalls: null,
        toolCallId: null,
        name: null,
        createdAt: 'now',
      };
      const [stored] = await store.commitStep({ agentId: agent.id, messages: [message] });
      expect(stored?.content).toBe('x\uFFFDy');
      expect(await store.listContextMessages(agent.id)).toEqual([stored]);
      expect(await store.getAgent(user.id, agent.id)).toEqual(agent);
    });
  });
});
