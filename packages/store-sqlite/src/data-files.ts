import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** The data directory: its owner only (it holds every conversation and the default key). */
export const DATA_DIR_MODE = 0o700;
/** The database and its `-wal` / `-shm` companions: their owner only. */
export const DATABASE_FILE_MODE = 0o600;

/** What {@link prepareDataDir} found. */
export interface DataDirState {
  /** Absolute path. */
  path: string;
  /** True when this call created it (then with {@link DATA_DIR_MODE}). */
  created: boolean;
  /** Its permission bits, e.g. `0o700`. */
  mode: number;
  /** True when group or others may read, write or enter it: worth a warning. */
  exposed: boolean;
}

/**
 * Creates the data directory with mode 0700 (chmod after mkdir, so the umask cannot widen or narrow
 * it); an existing directory is left as its owner set it, and reported as `exposed` when others
 * may use it.
 */
export function prepareDataDir(dataDir: string): DataDirState {
  const path = resolve(dataDir);
  const created = mkdirSync(path, { recursive: true, mode: DATA_DIR_MODE }) !== undefined;
  if (created) chmodSync(path, DATA_DIR_MODE);
  const mode = statSync(path).mode & 0o777;
  return { path, created, mode, exposed: (mode & 0o077) !== 0 };
}

/** True for a database that lives in a file of its own (not `:memory:`, not a `file:` URI). */
export function isPlainFile(filename: string): boolean {
  return filename !== '' && filename !== ':memory:' && !filename.startsWith('file:');
}

/**
 * Creates the database file with mode 0600 before SQLite opens it, and narrows an existing one to
 * 0600. SQLite gives the `-wal` and `-shm` files it creates the database file's mode.
 */
export function secureDatabaseFile(filename: string): void {
  if (!isPlainFile(filename)) return;
  closeSync(openSync(filename, 'a', DATABASE_FILE_MODE));
  chmodSync(filename, DATABASE_FILE_MODE);
}

/** Narrows `-wal` and `-shm` files left by an older version (created before the database was 0600). */
export function secureCompanionFiles(filename: string): void {
  if (!isPlainFile(filename)) return;
  for (const suffix of ['-wal', '-shm', '-journal']) {
    const companion = `${filename}${suffix}`;
    if (existsSync(companion)) chmodSync(companion, DATABASE_FILE_MODE);
  }
}
