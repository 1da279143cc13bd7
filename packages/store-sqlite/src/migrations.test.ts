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
    expect(applyMigrations(db)).toEqual([5, 6, 7, 8]);
    expect(db.prepare('SELECT scope, expires_at, last_used_at FROM api_keys').all()).toEqual([
      { scope: 'full', expires_at: null, last_used_at: null },
    ]);
    expect(() => db.exec("UPDATE api_keys SET scope = 'admin'")).toThrow(/CHECK/);
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
