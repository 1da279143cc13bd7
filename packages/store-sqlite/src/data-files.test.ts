import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareDataDir } from './data-files.ts';
import { SqliteStore } from './sqlite-store.ts';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('data directory and database file modes', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'memgate-modes-'));
    // The most permissive umask: the modes must not depend on it.
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the directory 0700 and the database, its WAL and SHM 0600, whatever the umask', async () => {
    const dataDir = join(root, 'nested', 'data');
    const store = SqliteStore.open(dataDir);
    try {
      await store.migrate();
      await store.ping();
      const database = join(dataDir, 'memgate.sqlite');
      // WAL mode keeps both companions while the connection is open and has written.
      expect(existsSync(`${database}-wal`)).toBe(true);
      expect(existsSync(`${database}-shm`)).toBe(true);
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(database)).toBe(0o600);
      expect(modeOf(`${database}-wal`)).toBe(0o600);
      expect(modeOf(`${database}-shm`)).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('narrows an existing world-readable database to 0600 and reports an exposed directory', async () => {
    const dataDir = join(root, 'old');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const database = join(dataDir, 'memgate.sqlite');
    writeFileSync(database, '', { mode: 0o644 });
    chmodSync(database, 0o644);

    expect(prepareDataDir(dataDir)).toEqual({ path: dataDir, created: false, mode: 0o755, exposed: true });
    const store = SqliteStore.open(dataDir);
    try {
      await store.migrate();
      expect(modeOf(database)).toBe(0o600);
      // The directory is the operator's: left as it is (the server warns at startup).
      expect(modeOf(dataDir)).toBe(0o755);
    } finally {
      await store.close();
    }
    chmodSync(dataDir, 0o700);
    expect(prepareDataDir(dataDir)).toMatchObject({ created: false, mode: 0o700, exposed: false });
  });
});
