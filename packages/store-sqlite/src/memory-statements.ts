import { type Database, prepare, prepareArrays, prepareValue, type ValueStatement } from './driver.ts';
import type { MessageRow, PassageParams, PassageRow } from './rows.ts';

const PASSAGE_COLUMNS = 'seq, id, agent_id, content, embedding_model, created_at';
/** The columns of a message row (`MessageRow`), in every statement that reads messages. */
export const MESSAGE_COLUMNS =
  'seq, id, agent_id, conversation_id, role, content, tool_calls, tool_call_id, name, created_at, token_count, metadata, hidden';

/** The queries every full-text index answers; rows are named by seq (the index's rowid). */
export interface FtsStatements {
  count: ValueStatement<[string], number>;
  /** [match, limit, offset]: best BM25 first (the agent column weighs nothing: it is a filter), newest among equals. */
  ranked: ValueStatement<[string, number, number], number>;
  /** [match, limit, offset]: newest first, no ranking. */
  newest: ValueStatement<[string, number, number], number>;
}

function prepareFtsStatements(db: Database, table: 'passages_fts' | 'messages_fts'): FtsStatements {
  return {
    count: prepareValue<[string], number>(db, `SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`),
    ranked: prepareValue<[string, number, number], number>(
      db,
      `SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY bm25(${table}, 0.0, 1.0), rowid DESC LIMIT ? OFFSET ?`,
    ),
    newest: prepareValue<[string, number, number], number>(
      db,
      `SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?`,
    ),
  };
}

/** Statements of archival memory and of the full-text indexes, prepared once per connection. */
export function prepareMemoryStatements(db: Database) {
  return {
    insertPassage: prepare<PassageParams>(
      db,
      `INSERT INTO passages (id, agent_id, content, embedding_model, embedding, created_at)
       VALUES (@id, @agent_id, @content, @embedding_model, @embedding, @created_at)`,
    ),
    insertPassageText: prepare<[number, string, string]>(
      db,
      'INSERT INTO passages_fts (rowid, agent, text) VALUES (?, ?, ?)',
    ),
    insertMessageText: prepare<[number, string, string]>(
      db,
      'INSERT INTO messages_fts (rowid, agent, text) VALUES (?, ?, ?)',
    ),
    deletePassage: prepare<[string, string]>(db, 'DELETE FROM passages WHERE agent_id = ? AND id = ?'),
    passageSeq: prepareValue<[string, string], number>(db, 'SELECT seq FROM passages WHERE agent_id = ? AND id = ?'),
    latestPassages: prepare<[string, number], PassageRow>(
      db,
      `SELECT ${PASSAGE_COLUMNS} FROM passages WHERE agent_id = ? ORDER BY seq DESC LIMIT ?`,
    ),
    passagesBefore: prepare<[string, number, number], PassageRow>(
      db,
      `SELECT ${PASSAGE_COLUMNS} FROM passages WHERE agent_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    ),
    /** [agent id, JSON array of seqs] */
    passagesBySeq: prepare<[string, string], PassageRow>(
      db,
      `SELECT ${PASSAGE_COLUMNS} FROM passages
       WHERE agent_id = ? AND seq IN (SELECT value FROM json_each(?))`,
    ),
    /** [agent id, embedding model, after seq]: the vectors to load into the in-memory index. */
    passageVectors: prepareArrays<[string, string, number], [number, Uint8Array]>(
      db,
      `SELECT seq, embedding FROM passages
         WHERE agent_id = ? AND embedding_model = ? AND embedding IS NOT NULL AND seq > ? ORDER BY seq`,
    ),
    /** What tells an in-memory vector index it is stale; undefined for an unknown agent. */
    passageIndexState: prepare<[string], { deletions: number; max_seq: number | null }>(
      db,
      `SELECT passage_deletions AS deletions, (SELECT max(seq) FROM passages WHERE agent_id = a.id) AS max_seq
       FROM agents a WHERE a.id = ?`,
    ),
    /** [agent id, JSON array of seqs] */
    messagesBySeq: prepare<[string, string], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages
       WHERE agent_id = ? AND seq IN (SELECT value FROM json_each(?))`,
    ),
    passageText: prepareFtsStatements(db, 'passages_fts'),
    messageText: prepareFtsStatements(db, 'messages_fts'),
  };
}
