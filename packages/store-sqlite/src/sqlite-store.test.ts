import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreConformance } from '@memgate/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connect, type Database, prepareValue } from './driver.ts';
import { MIGRATIONS } from './migrations.ts';
import { SqliteStore } from './sqlite-store.ts';

const root = mkdtempSync(join(tmpdir(), 'memgate-store-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const conformanceFile = join(root, 'conformance.sqlite');
runStoreConformance({
  name: 'sqlite',
  open: async () => new SqliteStore({ filename: conformanceFile }),
  reset: async () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(conformanceFile + suffix, { force: true });
  },
});

describe('SqliteStore on SQLite', () => {
  const opened: SqliteStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  /** A migrated store on a fresh file, and that file's path for a second, raw connection. */
  async function freshStore(): Promise<{ store: SqliteStore; filename: string }> {
    const filename = join(mkdtempSync(join(root, 'case-')), 'memgate.sqlite');
    const store = new SqliteStore({ filename });
    opened.push(store);
    await store.migrate();
    return { store, filename };
  }

  function inspect<T>(filename: string, read: (db: Database) => T): T {
    const db = connect(filename, { readOnly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  }

  it('runs in WAL mode', async () => {
    const { filename } = await freshStore();
    expect(inspect(filename, (db) => prepareValue<[], string>(db, 'PRAGMA journal_mode').get())).toBe('wal');
  });

  it('records every migration version once, however often it migrates', async () => {
    const { store, filename } = await freshStore();
    await store.migrate();
    await store.migrate();
    const versions = inspect(filename, (db) =>
      prepareValue<[], number>(db, 'SELECT version FROM schema_migrations ORDER BY version').all(),
    );
    expect(versions).toEqual(MIGRATIONS.map((migration) => migration.version));
  });

  it('creates the tables of the schema', async () => {
    const { filename } = await freshStore();
    const tables = inspect(filename, (db) =>
      prepareValue<[], string>(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all(),
    );
    expect(tables).not.toContain('memory_blocks');
    expect(tables).toEqual(
      expect.arrayContaining([
        'agent_blocks',
        'agents',
        'api_keys',
        'block_history',
        'blocks',
        'messages',
        'messages_fts',
        'passages',
        'passages_fts',
        'pending_tool_calls',
        'schema_migrations',
        'users',
      ]),
    );
  });

  it('refuses a database migrated by a newer memgate', async () => {
    const { store, filename } = await freshStore();
    await store.close();
    const db = connect(filename);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(9999, new Date().toISOString());
    db.close();
    const reopened = new SqliteStore({ filename });
    opened.push(reopened);
    await expect(reopened.migrate()).rejects.toThrow(/newer/);
  });

  it('rejects ping on a database that was never migrated', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    opened.push(store);
    await expect(store.ping()).rejects.toThrow();
    await store.migrate();
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('opens <dataDir>/memgate.sqlite, creating the directory', async () => {
    const dataDir = join(root, 'nested', 'data');
    const store = SqliteStore.open(dataDir);
    opened.push(store);
    await store.migrate();
    expect(existsSync(join(dataDir, 'memgate.sqlite'))).toBe(true);
  });
});
