import Database from 'better-sqlite3';

/** Opens a connection with the settings memgate's durability and concurrency rely on. */
export function openDatabase(filename: string): Database.Database {
  const db = new Database(filename);
  // WAL lets readers (other instances, the CLI) run while a turn writes.
  db.pragma('journal_mode = WAL');
  // FULL, not NORMAL: in WAL mode NORMAL can lose the last commits on power loss, and an
  // acknowledged message must survive a crash.
  db.pragma('synchronous = FULL');
  // better-sqlite3's build already turns it on, but plain SQLite does not, and the ON DELETE
  // CASCADE from agents must not depend on which binary is loaded (see the nativeBinding option).
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
