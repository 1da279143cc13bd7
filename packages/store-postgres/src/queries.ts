import { API_KEY_COLUMNS } from '@memgate/core';

/**
 * The store's SQL. The hot ones are named, so pg prepares them once per connection and then
 * only binds parameters: a turn runs the same few statements over and over.
 */
/** Columns of a StoredMessage row, shared with the memory queries. */
export const MESSAGE_COLUMNS =
  'seq, id, agent_id, role, content, tool_calls, tool_call_id, name, created_at, token_count, metadata';
const MESSAGE_COLUMNS_OF_M = MESSAGE_COLUMNS.split(', ')
  .map((column) => `m.${column}`)
  .join(', ');

/**
 * A message's attachments as one JSON array (NULL when it has none), read with the message: no
 * second round trip. The bytes travel as base64 (see fromAttachmentJson).
 */
export const ATTACHMENTS_OF_M = `(
  SELECT json_agg(json_build_object('text_offset', t.text_offset, 'detail', t.detail, 'url', t.url,
    'media_type', t.media_type, 'data', encode(t.data, 'base64')) ORDER BY t.position)
  FROM attachments t WHERE t.agent_id = m.agent_id AND t.message_seq = m.seq
) AS attachments`;

// The blocks are aggregated in the same statement, in their order: one round trip per read, however many agents.
const AGENT_WITH_MEMORY = `
  a.id, a.user_id, a.name, a.model, a.system, a.context_window, a.created_at,
  COALESCE(
    (SELECT json_agg(json_build_object('label', b.label, 'value', b.value, 'limit', b."limit") ORDER BY b.position)
     FROM memory_blocks b WHERE b.agent_id = a.id),
    '[]'::json
  ) AS memory`;

/** Stemming and stop words of full-text search; the passages' generated column uses the same. */
export const TEXT_SEARCH_CONFIG = 'english';

export const SQL = {
  // Reads a table only migrate() creates, so a ping fails on an unmigrated database too.
  schemaVersion: 'SELECT MAX(version) FROM schema_migrations',

  insertUser: 'INSERT INTO users (id, name, created_at) VALUES ($1, $2, $3)',
  getUser: { name: 'memgate_get_user', text: 'SELECT id, name, created_at FROM users WHERE id = $1' },
  getUserByName: 'SELECT id, name, created_at FROM users WHERE name = $1',
  listUsers: 'SELECT id, name, created_at FROM users ORDER BY created_at, id',

  deleteUser: 'DELETE FROM users WHERE id = $1',

  insertApiKey: `INSERT INTO api_keys (id, user_id, key_hash, prefix, created_at, scope, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  findApiKeyByHash: {
    name: 'memgate_find_api_key',
    text: `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1`,
  },
  listApiKeys: `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE user_id = $1 ORDER BY created_at, id`,
  touchApiKey: 'UPDATE api_keys SET last_used_at = $1 WHERE id = $2',
  deleteApiKey: 'DELETE FROM api_keys WHERE id = $1',

  insertAgent: `INSERT INTO agents (id, user_id, name, model, system, context_window, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  insertBlocks: `INSERT INTO memory_blocks (agent_id, label, value, "limit", position)
                 SELECT $1, label, value, lim, position - 1
                 FROM unnest($2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS b(label, value, lim, position)`,
  getAgent: {
    name: 'memgate_get_agent',
    text: `SELECT ${AGENT_WITH_MEMORY} FROM agents a WHERE a.id = $1 AND a.user_id = $2`,
  },
  listAgents: {
    name: 'memgate_list_agents',
    text: `SELECT ${AGENT_WITH_MEMORY} FROM agents a WHERE a.user_id = $1 ORDER BY a.created_at, a.id`,
  },
  deleteAgent: 'DELETE FROM agents WHERE id = $1 AND user_id = $2',
  updateBlock: {
    name: 'memgate_update_block',
    text: `UPDATE memory_blocks SET value = $3 WHERE agent_id = $1 AND label = $2 RETURNING label, value, "limit"`,
  },
  updateBlocks: {
    name: 'memgate_update_blocks',
    text: `UPDATE memory_blocks b SET value = u.value
           FROM unnest($2::text[], $3::text[]) AS u(label, value)
           WHERE b.agent_id = $1 AND b.label = u.label
           RETURNING b.label`,
  },

  // Taken first by every message writer, so an agent's seqs are handed out in commit order.
  lockAgent: { name: 'memgate_lock_agent', text: 'SELECT 1 FROM agents WHERE id = $1 FOR NO KEY UPDATE' },
  commitStep: {
    name: 'memgate_commit_step',
    text: `SELECT message_id AS id, message_seq AS seq
           FROM memgate_commit_step(${Array.from({ length: 25 }, (_, index) => `$${index + 1}`).join(', ')})`,
  },

  // ORDER BY ordinality makes the identity hand out seqs in the step's order.
  insertMessages: {
    name: 'memgate_insert_messages',
    text: `INSERT INTO messages
             (id, agent_id, role, content, tool_calls, tool_call_id, name, created_at, token_count, metadata,
              search_vector)
           SELECT id, $1, role, content, tool_calls, tool_call_id, name, created_at, token_count, metadata,
             to_tsvector('${TEXT_SEARCH_CONFIG}', search_text)
           FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::text[], $9::int[],
               $10::text[], $11::jsonb[])
             WITH ORDINALITY AS m(id, role, content, tool_calls, tool_call_id, name, created_at, token_count, search_text,
               metadata, position)
           ORDER BY position
           RETURNING id, seq`,
  },
  latestMessages: {
    name: 'memgate_latest_messages_with_attachments',
    text: `SELECT ${MESSAGE_COLUMNS_OF_M}, ${ATTACHMENTS_OF_M} FROM messages m
           WHERE m.agent_id = $1 ORDER BY m.seq DESC LIMIT $2`,
  },
  // An unknown cursor (or another agent's) makes the subquery NULL, and `seq < NULL` matches nothing.
  messagesBefore: {
    name: 'memgate_messages_before_with_attachments',
    text: `SELECT ${MESSAGE_COLUMNS_OF_M}, ${ATTACHMENTS_OF_M} FROM messages m
           WHERE m.agent_id = $1 AND m.seq < (SELECT seq FROM messages WHERE agent_id = $1 AND id = $2)
           ORDER BY m.seq DESC LIMIT $3`,
  },
  /**
   * The agent's window start, incarnation and summary, with the window's messages: all of them, or
   * only those after $4 when the caller's copy is still good ($2 is still the incarnation and the
   * start has not moved back below $3). One row with NULL message columns when there are none; no
   * row for an unknown agent. One statement, so the summary and the window are of one snapshot.
   */
  contextWindow: {
    name: 'memgate_context_window',
    text: `SELECT a.context_start_seq AS start_seq, a.incarnation, a.summary, a.summary_message_count,
             a.summary_updated_at, ${MESSAGE_COLUMNS_OF_M}, ${ATTACHMENTS_OF_M}
           FROM agents a LEFT JOIN messages m ON m.agent_id = a.id AND m.seq >= a.context_start_seq
             AND m.seq > (CASE WHEN a.incarnation = $2::bigint AND a.context_start_seq >= $3::bigint
                          THEN $4::bigint ELSE -1 END)
           WHERE a.id = $1 ORDER BY m.seq`,
  },

  // One statement for either or both: the window and its summary move together.
  moveContextWindow: {
    name: 'memgate_move_context_window',
    text: `UPDATE agents SET
             context_start_seq = COALESCE($2::bigint, context_start_seq),
             summary = CASE WHEN $3::boolean THEN $4 ELSE summary END,
             summary_message_count = CASE WHEN $3::boolean THEN $5::int ELSE summary_message_count END,
             summary_updated_at = CASE WHEN $3::boolean THEN $6 ELSE summary_updated_at END
           WHERE id = $1`,
  },
  insertPending: {
    name: 'memgate_insert_pending',
    text: `INSERT INTO pending_tool_calls (agent_id, tool_call_id, name, arguments, style, created_at)
           SELECT $1, tool_call_id, name, arguments, style, created_at
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
             WITH ORDINALITY AS p(tool_call_id, name, arguments, style, created_at, position)
           ORDER BY position`,
  },
  deletePending: {
    name: 'memgate_delete_pending',
    text: 'DELETE FROM pending_tool_calls WHERE agent_id = $1 AND tool_call_id = ANY($2::text[])',
  },
  listPending: {
    name: 'memgate_list_pending',
    text: `SELECT agent_id, tool_call_id, name, arguments, style, created_at FROM pending_tool_calls
           WHERE agent_id = $1 ORDER BY position`,
  },
} as const;
