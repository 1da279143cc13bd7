import { type Database, prepare, prepareValue } from './driver.ts';
import { MESSAGE_COLUMNS } from './memory-statements.ts';
import type { MessageRow } from './rows.ts';

/**
 * Migration 7: a rewind hides messages (they are kept, out of the window and of search: their
 * full-text rows are deleted, and put back by a restore), and moves the conversation's
 * `window_epoch`, which tells the context-window cache that its copy is no longer the window.
 */
export const FORK_MIGRATION = `
  ALTER TABLE messages ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE conversations ADD COLUMN window_epoch INTEGER NOT NULL DEFAULT 0;
`;

/** The statements of fork, rewind and restore (fork-operations.ts). */
export function prepareForkStatements(db: Database) {
  return {
    /**
     * [conversation id, after seq]: where a cut after that seq begins: the first visible message
     * after it that is not a tool result (the results of a call stay with it); undefined when none.
     */
    cutAfter: prepareValue<[string, number], number | null>(
      db,
      `SELECT MIN(seq) FROM messages WHERE conversation_id = ? AND seq > ? AND hidden = 0 AND role <> 'tool'`,
    ),
    /** [conversation id, below seq]: the visible messages before a cut, oldest first. */
    visibleBefore: prepare<[string, number], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND hidden = 0 AND seq < ? ORDER BY seq`,
    ),
    /** [new seq, agent id, old seq]: copies a message's images to its copy. */
    copyAttachments: prepare<[number, string, number]>(
      db,
      `INSERT INTO attachments (message_seq, agent_id, position, text_offset, detail, url, media_type, data)
       SELECT ?, agent_id, position, text_offset, detail, url, media_type, data FROM attachments
       WHERE agent_id = ? AND message_seq = ?`,
    ),
    /** [conversation id, from seq]: closes the pending client calls that the messages from there on made. */
    closeHiddenCalls: prepare<[string, string, number]>(
      db,
      `DELETE FROM pending_tool_calls WHERE conversation_id = ? AND tool_call_id IN (
         SELECT call.value ->> '$.id' FROM messages m, json_each(m.tool_calls) AS call
         WHERE m.conversation_id = ? AND m.seq >= ? AND m.hidden = 0 AND json_valid(m.tool_calls))`,
    ),
    /** [conversation id, from seq] */
    unindexFrom: prepare<[string, number]>(
      db,
      `DELETE FROM messages_fts WHERE rowid IN (
         SELECT seq FROM messages WHERE conversation_id = ? AND seq >= ? AND hidden = 0)`,
    ),
    /** [conversation id, from seq] */
    hideFrom: prepare<[string, number]>(
      db,
      'UPDATE messages SET hidden = 1 WHERE conversation_id = ? AND seq >= ? AND hidden = 0',
    ),
    /** [from seq, conversation id]: a new epoch; a cut below the window start drops the summary and opens the window. */
    rewindWindow: prepare<[number, string]>(
      db,
      `UPDATE conversations SET window_epoch = window_epoch + 1,
         summary = CASE WHEN ?1 < context_start_seq THEN NULL ELSE summary END,
         summary_message_count = CASE WHEN ?1 < context_start_seq THEN 0 ELSE summary_message_count END,
         summary_updated_at = CASE WHEN ?1 < context_start_seq THEN NULL ELSE summary_updated_at END,
         context_start_seq = CASE WHEN ?1 < context_start_seq THEN 0 ELSE context_start_seq END
       WHERE id = ?2`,
    ),
    /** [conversation id, ids as a JSON array]: closes the pending client calls those visible messages made. */
    closeCallsOfIds: prepare<[string, string, string]>(
      db,
      `DELETE FROM pending_tool_calls WHERE conversation_id = ? AND tool_call_id IN (
         SELECT call.value ->> '$.id' FROM messages m, json_each(m.tool_calls) AS call
         WHERE m.conversation_id = ? AND m.id IN (SELECT value FROM json_each(?)) AND m.hidden = 0
           AND json_valid(m.tool_calls))`,
    ),
    /** [conversation id, ids as a JSON array] */
    unindexIds: prepare<[string, string]>(
      db,
      `DELETE FROM messages_fts WHERE rowid IN (
         SELECT seq FROM messages WHERE conversation_id = ? AND id IN (SELECT value FROM json_each(?)) AND hidden = 0)`,
    ),
    /** [conversation id, ids as a JSON array] */
    hideIds: prepare<[string, string]>(
      db,
      'UPDATE messages SET hidden = 1 WHERE conversation_id = ? AND id IN (SELECT value FROM json_each(?)) AND hidden = 0',
    ),
    /** [conversation id] */
    hiddenMessages: prepare<[string], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND hidden = 1 ORDER BY seq`,
    ),
    /** [conversation id] */
    showAll: prepare<[string]>(db, 'UPDATE messages SET hidden = 0 WHERE conversation_id = ? AND hidden = 1'),
    /** [conversation id] */
    newWindowEpoch: prepare<[string]>(db, 'UPDATE conversations SET window_epoch = window_epoch + 1 WHERE id = ?'),
    /** [conversation id]: the source of a fork: its agent, window start and summary. */
    forkSource: prepare<
      [string],
      {
        agent_id: string;
        start: number;
        summary: string | null;
        summary_message_count: number;
        summary_updated_at: string | null;
      }
    >(
      db,
      `SELECT agent_id, context_start_seq AS start, summary, summary_message_count, summary_updated_at
       FROM conversations WHERE id = ?`,
    ),
  };
}
