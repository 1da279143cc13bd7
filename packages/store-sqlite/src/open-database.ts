import { secureCompanionFiles, secureDatabaseFile } from './data-files.ts';
import { connect, type Database } from './driver.ts';

/**
 * Opens a connection with the settings memgate's durability and concurrency rely on; the database
 * file and its WAL are readable by their owner only (0600).
 */
export function openDatabase(filename: string): Database {
  secureDatabaseFile(filename);
  const db = connect(filename);
  db.exec(`
    -- WAL lets readers (other instances, the CLI) run while a turn writes.
    PRAGMA journal_mode = WAL;
    -- FULL, not NORMAL: in WAL mode NORMAL can lose the last commits on power loss, and an
    -- acknowledged message must survive a crash.
    PRAGMA synchronous = FULL;
    -- node:sqlite turns it on by default, but plain SQLite does not, and the ON DELETE CASCADE
    -- from agents must not depend on a driver default.
    PRAGMA foreign_keys = ON;
    PRAGMA busy_timeout = 5000;
  `);
  secureCompanionFiles(filename);
  return db;
}
