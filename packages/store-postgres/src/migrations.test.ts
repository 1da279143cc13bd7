import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from './create-pool.ts';
import { MIGRATIONS, type Migration } from './migration-steps.ts';
import { applyMigrations } from './migrations.ts';
import { PostgresStore } from './postgres-store.ts';
import { createTemporarySchema, type TemporarySchema } from './temporary-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl)
  console.warn('DATABASE_URL is not set: skipping the PostgreSQL migration tests (CI sets it; see .ci/run).');

const next: Migration = {
  version: (MIGRATIONS.at(-1)?.version ?? 0) + 1,
  description: 'a later step',
  up: 'CREATE TABLE later (x INTEGER)',
};

describe.skipIf(!databaseUrl)('applyMigrations on a real PostgreSQL', () => {
  let schema: TemporarySchema;
  let pool: ReturnType<typeof createPool>;
  beforeAll(async () => {
    schema = await createTemporarySchema(databaseUrl!);
  });
  beforeEach(async () => {
    pool = createPool({ connectionString: schema.connectionString });
    await pool.query(`DROP SCHEMA ${schema.name} CASCADE; CREATE SCHEMA ${schema.name}`);
  });
  afterEach(async () => {
    await pool.end();
  });
  afterAll(async () => {
    await schema?.drop();
  });

  const versions = async () =>
    (await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map(
      (row) => row.version,
    );
  const hasTable = async (name: string) =>
    (await pool.query('SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1', [name]))
      .rowCount === 1;

  it('applies every step on an empty schema, then none', async () => {
    expect(await applyMigrations(pool)).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await applyMigrations(pool)).toEqual([]);
  });

  it('applies only the steps appended since the last run', async () => {
    await applyMigrations(pool);
    expect(await applyMigrations(pool, [...MIGRATIONS, next])).toEqual([next.version]);
    expect(await hasTable('later')).toBe(true);
    expect(await versions()).toEqual([...MIGRATIONS, next].map((migration) => migration.version));
  });

  it('rolls a failing step back entirely and records nothing for it', async () => {
    await applyMigrations(pool);
    const broken = { ...next, up: 'CREATE TABLE later (x INTEGER); INSERT INTO no_such_table VALUES (1);' };
    await expect(applyMigrations(pool, [...MIGRATIONS, broken])).rejects.toThrow(/no_such_table/);
    expect(await hasTable('later')).toBe(false);
    expect(await versions()).toEqual(MIGRATIONS.map((migration) => migration.version));
    // The lock was given back: the next run is not stuck behind the failed one.
    expect(await applyMigrations(pool, [...MIGRATIONS, next])).toEqual([next.version]);
  });

  it('applies each step once when instances migrate at the same moment', async () => {
    const pools = Array.from({ length: 4 }, () => createPool({ connectionString: schema.connectionString }));
    try {
      const applied = await Promise.all(pools.map((each) => applyMigrations(each)));
      expect(applied.flat()).toEqual(MIGRATIONS.map((migration) => migration.version));
    } finally {
      await Promise.all(pools.map((each) => each.end()));
    }
  });

  it('moves an old database into default conversations: messages, window, summary and pending calls', async () => {
    const beforeConversations = MIGRATIONS.filter((migration) => migration.version < 6);
    await applyMigrations(pool, beforeConversations);
    const at = '2026-01-01T00:00:00.000Z';
    await pool.query("INSERT INTO users (id, name, created_at) VALUES ('user-old', 'old', $1)", [at]);
    for (const agent of ['agent-a', 'agent-b']) {
      await pool.query(
        `INSERT INTO agents (id, user_id, name, model, system, context_window, created_at)
         VALUES ($1, 'user-old', $1, 'm', 's', 8192, $2)`,
        [agent, at],
      );
      await pool.query(
        `INSERT INTO memory_blocks (agent_id, label, value, "limit", position) VALUES ($1, 'human', 'Ann', 100, 0)`,
        [agent],
      );
      for (const content of ['first words', 'second words', 'third words']) {
        await pool.query(
          `INSERT INTO messages (id, agent_id, role, content, created_at, search_vector)
           VALUES ($1, $2, 'user', $3, $4, to_tsvector('english', $3))`,
          [`${agent}-${content.split(' ')[0]}`, agent, content, at],
        );
      }
    }
    // agent-a had summarised its first message and waits for a client tool call.
    await pool.query(
      `UPDATE agents SET summary = 'said hello', summary_message_count = 1, summary_updated_at = $1,
         context_start_seq = (SELECT seq FROM messages WHERE id = 'agent-a-second') WHERE id = 'agent-a'`,
      [at],
    );
    await pool.query(
      `INSERT INTO pending_tool_calls (agent_id, tool_call_id, name, arguments, style, created_at)
       VALUES ('agent-a', 'call-old', 'lookup', '{}', 'tool', $1)`,
      [at],
    );

    expect(await applyMigrations(pool)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

    const store = new PostgresStore({ connectionString: schema.connectionString });
    try {
      expect(await store.getConversation('user-old', 'agent-a')).toEqual({
        id: 'agent-a',
        agentId: 'agent-a',
        name: null,
        metadata: null,
        createdAt: at,
        updatedAt: at,
      });
      expect((await store.listConversations('agent-b', { limit: 10 })).map((each) => each.id)).toEqual(['agent-b']);
      const window = await store.listContextMessages('agent-a');
      expect(window.map((message) => [message.id, message.conversationId])).toEqual([
        ['agent-a-second', 'agent-a'],
        ['agent-a-third', 'agent-a'],
      ]);
      expect(await store.getContextSummary('agent-a')).toEqual({ text: 'said hello', messageCount: 1, updatedAt: at });
      expect((await store.listContextMessages('agent-b')).map((message) => message.id)).toEqual([
        'agent-b-first',
        'agent-b-second',
        'agent-b-third',
      ]);
      expect(await store.getContextSummary('agent-b')).toBeNull();
      expect((await store.listPendingToolCalls('agent-a')).map((call) => call.toolCallId)).toEqual(['call-old']);
      expect(await store.listPendingToolCalls('agent-b')).toEqual([]);
      const found = await store.searchMessages('agent-a', {
        terms: ['first'],
        limit: 10,
        offset: 0,
        conversationId: 'agent-a',
      });
      expect(found.hits.map((message) => message.id)).toEqual(['agent-a-first']);
      expect((await store.getAgent('user-old', 'agent-a'))?.memory).toMatchObject([
        { label: 'human', value: 'Ann', limit: 100, version: 1 },
      ]);
      // The replaced commit function writes into the default conversation and checks versions.
      const [stored] = await store.commitStep({
        agentId: 'agent-a',
        messages: [
          {
            id: 'agent-a-fourth',
            agentId: 'agent-a',
            role: 'user',
            content: 'fourth words',
            toolCalls: null,
            toolCallId: null,
            name: null,
            createdAt: at,
          },
        ],
        memory: [{ label: 'human', value: 'Ann B.', version: 1 }],
        resolvePendingToolCallIds: ['call-old'],
      });
      expect(stored?.conversationId).toBe('agent-a');
      expect((await store.listContextMessages('agent-a')).map((message) => message.id)).toEqual([
        'agent-a-second',
        'agent-a-third',
        'agent-a-fourth',
      ]);
      expect(await store.listPendingToolCalls('agent-a')).toEqual([]);
      expect((await store.getAgent('user-old', 'agent-a'))?.memory[0]?.version).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('moves the memory blocks of a version 8 database into blocks of their own, each with its history', async () => {
    await applyMigrations(
      pool,
      MIGRATIONS.filter((migration) => migration.version <= 8),
    );
    const at = '2026-01-01T00:00:00.000Z';
    await pool.query("INSERT INTO users (id, name, created_at) VALUES ('user-old', 'old', $1)", [at]);
    for (const agent of ['agent-a', 'agent-b']) {
      await pool.query(
        `WITH agent AS (
           INSERT INTO agents (id, user_id, name, model, system, context_window, created_at)
           VALUES ($1, 'user-old', $1, 'm', 's', 8192, $2) RETURNING id, created_at
         ) INSERT INTO conversations (id, agent_id, created_at, updated_at) SELECT id, id, created_at, created_at FROM agent`,
        [agent, at],
      );
      // Positions out of label order, and a block written twice, as version 8 kept them.
      await pool.query(
        `INSERT INTO memory_blocks (agent_id, label, value, "limit", position, version) VALUES
           ($1, 'persona', 'I help.', 200, 1, 1), ($1, 'human', $1 || ' knows Ann', 100, 0, 3)`,
        [agent],
      );
    }

    expect(await applyMigrations(pool)).toEqual([9, 10, 11, 12, 13, 14, 15]);
    expect(await hasTable('memory_blocks')).toBe(false);

    const store = new PostgresStore({ connectionString: schema.connectionString });
    try {
      const agent = await store.getAgent('user-old', 'agent-a');
      expect(agent).toMatchObject({ tags: [], metadata: null });
      expect(agent?.memory).toEqual([
        {
          id: expect.stringMatching(/^block-[0-9a-f-]{36}$/),
          label: 'human',
          value: 'agent-a knows Ann',
          limit: 100,
          description: null,
          readOnly: false,
          version: 3,
          agentCount: 1,
        },
        {
          id: expect.stringMatching(/^block-/),
          label: 'persona',
          value: 'I help.',
          limit: 200,
          description: null,
          readOnly: false,
          version: 1,
          agentCount: 1,
        },
      ]);
      const human = agent!.memory[0]!.id!;
      const other = (await store.getAgent('user-old', 'agent-b'))!.memory.map((block) => block.id);
      expect(other).not.toContain(human);
      expect(await store.getBlock('user-old', human)).toMatchObject({
        userId: 'user-old',
        agentIds: ['agent-a'],
        metadata: null,
        createdAt: at,
      });
      expect(await store.blockHistory('user-old', human, { limit: 10 })).toEqual([
        {
          version: 3,
          value: 'agent-a knows Ann',
          actor: 'user',
          agentId: null,
          messageId: null,
          at: expect.any(String),
        },
      ]);
      // Not made through /v1/blocks: the agent takes it when it goes.
      expect(await store.deleteAgent('user-old', 'agent-a')).toBe(true);
      expect(await store.getBlock('user-old', human)).toBeNull();
      expect((await store.listBlocks('user-old', { limit: 10 })).map((block) => block.agentIds)).toEqual([
        ['agent-b'],
        ['agent-b'],
      ]);
      // The replaced commit function writes the migrated block, checks its version and records it.
      await store.commitStep({
        agentId: 'agent-b',
        messages: [],
        memory: [{ label: 'human', value: 'Ann B.', version: 3 }],
      });
      const written = (await store.getAgent('user-old', 'agent-b'))!.memory[0]!;
      expect(written).toMatchObject({ label: 'human', value: 'Ann B.', version: 4 });
      expect((await store.blockHistory('user-old', written.id!, { limit: 1 }))?.[0]).toMatchObject({
        version: 4,
        actor: 'agent',
        agentId: 'agent-b',
      });
    } finally {
      await store.close();
    }
  });

  it('refuses steps out of order', async () => {
    await expect(applyMigrations(pool, [next, ...MIGRATIONS])).rejects.toThrow(/increasing/);
    expect(await hasTable('schema_migrations')).toBe(false);
  });
});
