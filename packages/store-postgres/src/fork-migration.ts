/**
 * Migration 7: a rewind hides messages (kept, but out of the window and of search until a restore)
 * and moves the conversation's `window_epoch`, which the context-window cache compares with its
 * incarnation: a copy read before a rewind or restore is read anew.
 */
export const FORK_MIGRATION = `
  ALTER TABLE messages ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT false;
  ALTER TABLE conversations ADD COLUMN window_epoch BIGINT NOT NULL DEFAULT 0;
`;

/** The statements of fork, rewind and restore (fork-operations.ts). */
export const FORK_SQL = {
  /** [conversation]: locks it (as a step does: its seqs then follow commit order) and reads its agent, start and summary. */
  lockConversation: `SELECT agent_id, context_start_seq AS start, summary, summary_message_count, summary_updated_at
                     FROM conversations WHERE id = $1 FOR NO KEY UPDATE`,
  /**
   * [conversation, after seq]: where a cut after that seq begins: the first visible message after it
   * that is not a tool result (the results of a call stay with it); NULL when none.
   */
  cutAfter: `SELECT MIN(seq) AS cut FROM messages
             WHERE conversation_id = $1 AND seq > $2 AND NOT hidden AND role <> 'tool'`,
  /**
   * [source, below seq (NULL: all), fork]: copies the source's visible messages before the cut to
   * the fork with new ids, in seq order, with their images; returns each copy's old and new seq.
   */
  copyMessages: `WITH source AS (
                   SELECT m.*, 'message-' || gen_random_uuid() AS new_id FROM messages m
                   WHERE m.conversation_id = $1 AND NOT m.hidden AND ($2::bigint IS NULL OR m.seq < $2::bigint)
                 ), copied AS (
                   INSERT INTO messages (id, agent_id, conversation_id, role, content, tool_calls, tool_call_id, name,
                     created_at, token_count, metadata, search_vector)
                   SELECT new_id, agent_id, $3, role, content, tool_calls, tool_call_id, name, created_at, token_count,
                     metadata, search_vector
                   FROM source ORDER BY seq
                   RETURNING id, seq
                 ), images AS (
                   INSERT INTO attachments (message_seq, agent_id, position, text_offset, detail, url, media_type, data)
                   SELECT copied.seq, a.agent_id, a.position, a.text_offset, a.detail, a.url, a.media_type, a.data
                   FROM copied JOIN source ON source.new_id = copied.id
                   JOIN attachments a ON a.agent_id = source.agent_id AND a.message_seq = source.seq
                 )
                 SELECT source.seq AS old_seq, copied.seq AS new_seq
                 FROM copied JOIN source ON source.new_id = copied.id ORDER BY copied.seq`,
  /** [fork, summary, count, updated at, start] */
  setWindow: `UPDATE conversations SET summary = $2, summary_message_count = $3, summary_updated_at = $4,
                context_start_seq = $5 WHERE id = $1`,
  /** [conversation, from seq]: closes the pending client calls that the messages from there on made. */
  closeHiddenCalls: `DELETE FROM pending_tool_calls WHERE conversation_id = $1 AND tool_call_id IN (
                       SELECT call ->> 'id' FROM messages m, jsonb_array_elements(m.tool_calls) AS call
                       WHERE m.conversation_id = $1 AND m.seq >= $2 AND NOT m.hidden
                         AND jsonb_typeof(m.tool_calls) = 'array')`,
  /** [conversation, from seq] */
  hideFrom: 'UPDATE messages SET hidden = true WHERE conversation_id = $1 AND seq >= $2 AND NOT hidden',
  /** [conversation, from seq]: a new epoch; a cut below the window start drops the summary and opens the window. */
  rewindWindow: `UPDATE conversations SET window_epoch = window_epoch + 1,
                   summary = CASE WHEN $2 < context_start_seq THEN NULL ELSE summary END,
                   summary_message_count = CASE WHEN $2 < context_start_seq THEN 0 ELSE summary_message_count END,
                   summary_updated_at = CASE WHEN $2 < context_start_seq THEN NULL ELSE summary_updated_at END,
                   context_start_seq = CASE WHEN $2 < context_start_seq THEN 0 ELSE context_start_seq END
                 WHERE id = $1`,
  /** [conversation]: shows every hidden message, in a new epoch; returns how many. */
  restore: `WITH shown AS (
              UPDATE messages SET hidden = false WHERE conversation_id = $1 AND hidden RETURNING 1
            ), epoch AS (
              UPDATE conversations SET window_epoch = window_epoch + 1
              WHERE id = $1 AND EXISTS (SELECT 1 FROM shown)
            )
            SELECT count(*)::int AS restored FROM shown`,
} as const;
