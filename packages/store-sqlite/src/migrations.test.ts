import { afterEach, describe, expect, it } from 'vitest';
import { connect, prepareValue } from './driver.ts';
import { applyMigrations, MIGRATIONS, type Migration } from './migrations.ts';

const next: Migration = {
  version: (MIGRATIONS.at(-1)?.version ?? 0) + 1,
  description: 'a later step',
  up: 'CREATE TABLE later (x INTEGER)',
};

describe('applyMigrations', () => {
  let db = connect(':memory:');
  afterEach(() => {
    db.close();
    db = connect(':memory:');
  });

  const versions = () => prepareValue<[], number>(db, 'SELECT version FROM schema_migrations ORDER BY version').all();
  const hasTable = (name: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

  it('applies every step on an empty database, then none', () => {
    expect(applyMigrations(db)).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(applyMigrations(db)).toEqual([]);
  });

  it('applies only the steps appended since the last run', () => {
    applyMigrations(db);
    expect(applyMigrations(db, [...MIGRATIONS, next])).toEqual([next.version]);
    expect(hasTable('later')).toBe(true);
    expect(versions()).toEqual([...MIGRATIONS, next].map((migration) => migration.version));
  });

  it('upgrades the keys of a version-4 database to full-scope keys that never expire (v5)', () => {
    applyMigrations(db, MIGRATIONS.slice(0, 4));
    db.exec(`INSERT INTO users (id, name, created_at) VALUES ('user-1', 'old', '2026-01-01T00:00:00.000Z');
      INSERT INTO api_keys (id, user_id, key_hash, prefix, created_at)
      VALUES ('key-1', 'user-1', 'hash', 'mg-abc', '2026-01-01T00:00:00.000Z')`);
    expect(applyMigrations(db)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(db.prepare('SELECT scope, expires_at, last_used_at FROM api_keys').all()).toEqual([
      { scope: 'full', expires_at: null, last_used_at: null },
    ]);
    expect(() => db.exec("UPDATE api_keys SET scope = 'admin'")).toThrow(/CHECK/);
  });

  it('moves the memory blocks of a version-8 database into shared-capable blocks with a history (v9)', () => {
    applyMigrations(db, MIGRATIONS.slice(0, 8));
    db.exec(`INSERT INTO users (id, name, created_at) VALUES ('user-1', 'old', '2026-01-01T00:00:00.000Z');
      INSERT INTO agents (id, user_id, name, model, system, context_window, created_at)
      VALUES ('agent-1', 'user-1', 'a', 'm', 's', 8192, '2026-01-02T00:00:00.000Z'),
             ('agent-2', 'user-1', 'b', 'm', 's', 8192, '2026-01-03T00:00:00.000Z');
      INSERT INTO memory_blocks (agent_id, label, value, "limit", position, version)
      VALUES ('agent-1', 'persona', 'I help.', 2000, 0, 3), ('agent-1', 'human', 'Ada', 500, 1, 1),
             ('agent-2', 'human', 'Bob', 2000, 0, 2)`);
    expect(applyMigrations(db)).toEqual([9, 10, 11, 12, 13, 14, 15]);
    expect(hasTable('memory_blocks')).toBe(false);
    const blocks = db
      .prepare(
        `SELECT ab.agent_id, ab.position, b.id, b.user_id, b.label, b.value, b."limit", b.version, b.standalone,
           b.read_only, b.description, b.metadata, b.created_at, b.updated_at
         FROM agent_blocks ab JOIN blocks b ON b.id = ab.block_id ORDER BY ab.agent_id, ab.position`,
      )
      .all();
    const common = { user_id: 'user-1', standalone: 0, read_only: 0, description: null, metadata: null };
    const agent1 = { ...common, agent_id: 'agent-1', created_at: '2026-01-02T00:00:00.000Z' };
    expect(blocks).toEqual(
      [
        { ...agent1, position: 0, id: expect.any(String), label: 'persona', value: 'I help.', limit: 2000, version: 3 },
        { ...agent1, position: 1, id: expect.any(String), label: 'human', value: 'Ada', limit: 500, version: 1 },
        {
          ...common,
          agent_id: 'agent-2',
          created_at: '2026-01-03T00:00:00.000Z',
          position: 0,
          id: expect.any(String),
          label: 'human',
          value: 'Bob',
          limit: 2000,
          version: 2,
        },
      ].map((block) => ({ ...block, updated_at: block.created_at })),
    );
    const ids = blocks.map((block) => (block as { id: string }).id);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids)
      expect(id).toMatch(/^block-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(
      db
        .prepare('SELECT block_id, version, value, actor, agent_id, message_id FROM block_history ORDER BY value')
        .all(),
    ).toEqual([
      { block_id: ids[1], version: 1, value: 'Ada', actor: 'user', agent_id: null, message_id: null },
      { block_id: ids[2], version: 2, value: 'Bob', actor: 'user', agent_id: null, message_id: null },
      { block_id: ids[0], version: 3, value: 'I help.', actor: 'user', agent_id: null, message_id: null },
    ]);
    expect(db.prepare('SELECT id, tags, metadata FROM agents ORDER BY id').all()).toEqual([
      { id: 'agent-1', tags: '[]', metadata: null },
      { id: 'agent-2', tags: '[]', metadata: null },
    ]);
    // The temporary table of the move is gone with it.
    expect(db.prepare("SELECT name FROM sqlite_temp_master WHERE type = 'table'").all()).toEqual([]);
  });

  it('keeps the usage rows of a version-14 database, their turn unknown (v15)', () => {
    applyMigrations(
      db,
      MIGRATIONS.filter((migration) => migration.version <= 14),
    );
    db.exec(`INSERT INTO users (id, name, created_at) VALUES ('user-1', 'old', '2026-01-01T00:00:00.000Z');
      INSERT INTO usage_records (id, at, user_id, model, provider, purpose, prompt_tokens, cached_tokens,
        completion_tokens, latency_ms, outcome)
      VALUES ('usage-1', '2026-01-02T00:00:00.000Z', 'user-1', 'm', 'default', 'step', 10, 0, 5, 40, 'ok')`);
    expect(applyMigrations(db)).toEqual([15]);
    expect(db.prepare('SELECT id, turn_id FROM usage_records').all()).toEqual([{ id: 'usage-1', turn_id: null }]);
  });

  it('rolls a failing step back entirely and records nothing for it', () => {
    applyMigrations(db);
    const broken = { ...next, up: 'CREATE TABLE later (x INTEGER); INSERT INTO no_such_table VALUES (1);' };
    expect(() => applyMigrations(db, [...MIGRATIONS, broken])).toThrow(/no_such_table/);
    expect(hasTable('later')).toBe(false);
    expect(versions()).toEqual(MIGRATIONS.map((migration) => migration.version));
  });

  it('refuses steps out of order', () => {
    expect(() => applyMigrations(db, [next, ...MIGRATIONS])).toThrow(/increasing/);
    expect(hasTable('schema_migrations')).toBe(false);
  });
});
