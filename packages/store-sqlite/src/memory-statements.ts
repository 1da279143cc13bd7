import type Database from 'better-sqlite3';
import type { MessageRow, PassageParams, PassageRow } from './rows.ts';

const PASSAGE_COLUMNS = 'seq, id, agent_id, content, embedding_model, created_at';
const MESSAGE_COLUMNS = 'seq, id, agent_id, role, content, tool_calls, tool_call_id, name, created_at, token_count';

/** The queries every full-text index answers; rows are named by seq (the index's rowid). */
export interface FtsStatements {
  count: Database.Statement<[string], number>;
  /** [match, limit, offset]: best BM25 first (the agent column weighs nothing: it is a filter), newest among equals. */
  ranked: Database.Statement<[string, number, number], number>;
  /** [match, limit, offset]: newest first, no ranking. */
  newest: Database.Statement<[string, number, number], number>;
}

function prepareFtsStatements(db: Database.Database, table: 'passages_fts' | 'messages_fts'): FtsStatements {
  return {
    count: db.prepare<[string], number>(`SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).pluck(),
    ranked: db
      .prepare<[string, number, number], number>(
        `SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY bm25(${table}, 0.0, 1.0), rowid DESC LIMIT ? OFFSET ?`,
      )
      .pluck(),
    newest: db
      .prepare<[string, number, number], number>(
        `SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?`,
      )
      .pluck(),
  };
}

/** Statements of archival memory and of the full-text indexes, prepared once per connection. */
export function prepareMemoryStatements(db: Database.Database) {
  return {
    insertPassage: db.prepare<PassageParams>(
      `INSERT INTO passages (id, agent_id, content, embedding_model, embedding, created_at)
       VALUES (@id, @agent_id, @content, @embedding_model, @embedding, @created_at)`,
    ),
    insertPassageText: db.prepare<[number, string, string]>(
      'INSERT INTO passages_fts (rowid, agent, text) VALUES (?, ?, ?)',
    ),
    insertMessageText: db.prepare<[number, string, string]>(
      'INSERT INTO messages_fts (rowid, agent, text) VALUES (?, ?, ?)',
    ),
    deletePassage: db.prepare<[string, string]>('DELETE FROM passages WHERE agent_id = ? AND id = ?'),
    passageSeq: db.prepare<[string, string], number>('SELECT seq FROM passages WHERE agent_id = ? AND id = ?').pluck(),
    latestPassages: db.prepare<[string, number], PassageRow>(
      `SELECT ${PASSAGE_COLUMNS} FROM passages WHERE agent_id = ? ORDER BY seq DESC LIMIT ?`,
    ),
    passagesBefore: db.prepare<[string, number, number], PassageRow>(
      `SELECT ${PASSAGE_COLUMNS} FROM passages WHERE agent_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    ),
    /** [agent id, JSON array of seqs] */
    passagesBySeq: db.prepare<[string, string], PassageRow>(
      `SELECT ${PASSAGE_COLUMNS} FROM passages
       WHERE agent_id = ? AND seq IN (SELECT value FROM json_each(?))`,
    ),
    /** [agent id, embedding model, after seq]: the vectors to load into the in-memory index. */
    passageVectors: db
      .prepare<[string, string, number], [number, Buffer]>(
        `SELECT seq, embedding FROM passages
         WHERE agent_id = ? AND embedding_model = ? AND embedding IS NOT NULL AND seq > ? ORDER BY seq`,
      )
      .raw(),
    /** What tells an in-memory vector index it is stale; undefined for an unknown agent. */
    passageIndexState: db.prepare<[string], { deletions: number; max_seq: number | null }>(
      `SELECT passage_deletions AS deletions, (SELECT max(seq) FROM passages WHERE agent_id = a.id) AS max_seq
       FROM agents a WHERE a.id = ?`,
    ),
    /** [agent id, JSON array of seqs] */
    messagesBySeq: db.prepare<[string, string], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages
       WHERE agent_id = ? AND seq IN (SELECT value FROM json_each(?))`,
    ),
    passageText: prepareFtsStatements(db, 'passages_fts'),
    messageText: prepareFtsStatements(db, 'messages_fts'),
  };
}
