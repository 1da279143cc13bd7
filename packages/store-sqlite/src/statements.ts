import {
  API_KEY_COLUMNS,
  type ApiKeyRow,
  type PendingToolCallRow,
  type SummaryRow,
  type UserRow,
} from '@memgate/core/store-kit';
import type { AttachmentRow } from './attachments.ts';
import { type Database, prepare, prepareValue } from './driver.ts';
import { prepareMemoryStatements } from './memory-statements.ts';
import type { AgentRow, MemoryBlockRow, MessageParams, MessageRow } from './rows.ts';

const MESSAGE_COLUMNS =
  'seq, id, agent_id, role, content, tool_calls, tool_call_id, name, created_at, token_count, metadata';
// Qualified for the join with agents, which shares the id, name and created_at column names.
const MESSAGE_COLUMNS_OF_M = MESSAGE_COLUMNS.split(', ')
  .map((column) => `m.${column}`)
  .join(', ');
const AGENT_COLUMNS = 'id, user_id, name, model, system, context_window, created_at';

/**
 * Every statement the store runs, prepared once per connection: preparing is the expensive
 * part of a small query, and a turn step runs several.
 */
export function prepareStatements(db: Database) {
  return {
    ...prepareMemoryStatements(db),
    // Reads a table only migrate() creates, so a ping fails on an unmigrated database too.
    schemaVersion: prepare(db, 'SELECT MAX(version) FROM schema_migrations'),
    insertUser: prepare<UserRow>(db, 'INSERT INTO users (id, name, created_at) VALUES (@id, @name, @created_at)'),
    getUser: prepare<[string], UserRow>(db, 'SELECT id, name, created_at FROM users WHERE id = ?'),
    getUserByName: prepare<[string], UserRow>(db, 'SELECT id, name, created_at FROM users WHERE name = ?'),
    listUsers: prepare<[], UserRow>(db, 'SELECT id, name, created_at FROM users ORDER BY created_at, rowid'),

    deleteUser: prepare<[string]>(db, 'DELETE FROM users WHERE id = ?'),

    insertApiKey: prepare<[string, string, string, string, string, string, string | null]>(
      db,
      `INSERT INTO api_keys (id, user_id, key_hash, prefix, created_at, scope, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    findApiKeyByHash: prepare<[string], ApiKeyRow>(db, `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_hash = ?`),
    listApiKeys: prepare<[string], ApiKeyRow>(
      db,
      `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE user_id = ? ORDER BY created_at, rowid`,
    ),
    touchApiKey: prepare<[string, string]>(db, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?'),
    deleteApiKey: prepare<[string]>(db, 'DELETE FROM api_keys WHERE id = ?'),

    insertAgent: prepare<AgentRow>(
      db,
      `INSERT INTO agents (${AGENT_COLUMNS})
       VALUES (@id, @user_id, @name, @model, @system, @context_window, @created_at)`,
    ),
    getAgent: prepare<[string, string], AgentRow>(
      db,
      `SELECT ${AGENT_COLUMNS} FROM agents WHERE id = ? AND user_id = ?`,
    ),
    listAgents: prepare<[string], AgentRow>(
      db,
      `SELECT ${AGENT_COLUMNS} FROM agents WHERE user_id = ? ORDER BY created_at, rowid`,
    ),
    deleteAgent: prepare<[string, string]>(db, 'DELETE FROM agents WHERE id = ? AND user_id = ?'),

    insertBlock: prepare<[string, string, string, number, number]>(
      db,
      'INSERT INTO memory_blocks (agent_id, label, value, "limit", position) VALUES (?, ?, ?, ?, ?)',
    ),
    blocksOfAgent: prepare<[string], MemoryBlockRow>(
      db,
      'SELECT agent_id, label, value, "limit" FROM memory_blocks WHERE agent_id = ? ORDER BY position',
    ),
    blocksOfUser: prepare<[string], MemoryBlockRow>(
      db,
      `SELECT b.agent_id, b.label, b.value, b."limit" FROM memory_blocks b
       JOIN agents a ON a.id = b.agent_id WHERE a.user_id = ? ORDER BY b.agent_id, b.position`,
    ),
    updateBlock: prepare<[string, string, string], MemoryBlockRow>(
      db,
      `UPDATE memory_blocks SET value = ? WHERE agent_id = ? AND label = ?
       RETURNING agent_id, label, value, "limit"`,
    ),

    insertMessage: prepare<MessageParams>(
      db,
      `INSERT INTO messages
         (id, agent_id, role, content, tool_calls, tool_call_id, name, created_at, token_count, metadata)
       VALUES
         (@id, @agent_id, @role, @content, @tool_calls, @tool_call_id, @name, @created_at, @token_count, @metadata)`,
    ),
    messageSeq: prepareValue<[string, string], number>(db, 'SELECT seq FROM messages WHERE agent_id = ? AND id = ?'),
    latestMessages: prepare<[string, number], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE agent_id = ? ORDER BY seq DESC LIMIT ?`,
    ),
    messagesBefore: prepare<[string, number, number], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE agent_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    ),
    contextStart: prepare<[string], { start: number }>(
      db,
      'SELECT context_start_seq AS start FROM agents WHERE id = ?',
    ),
    messagesAfter: prepare<[string, number], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE agent_id = ? AND seq > ? ORDER BY seq`,
    ),
    contextMessages: prepare<[string], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS_OF_M} FROM messages m JOIN agents a ON a.id = m.agent_id
       WHERE m.agent_id = ? AND m.seq >= a.context_start_seq ORDER BY m.seq`,
    ),

    insertAttachment: prepare<AttachmentRow>(
      db,
      `INSERT INTO attachments (message_seq, agent_id, position, text_offset, detail, url, media_type, data)
       VALUES (@message_seq, @agent_id, @position, @text_offset, @detail, @url, @media_type, @data)`,
    ),
    attachmentsBetween: prepare<[string, number, number], AttachmentRow>(
      db,
      `SELECT message_seq, agent_id, position, text_offset, detail, url, media_type, data FROM attachments
       WHERE agent_id = ? AND message_seq BETWEEN ? AND ? ORDER BY message_seq, position`,
    ),

    setContextStart: prepare<[number, string]>(db, 'UPDATE agents SET context_start_seq = ? WHERE id = ?'),
    setSummary: prepare<[string, number, string, string]>(
      db,
      'UPDATE agents SET summary = ?, summary_message_count = ?, summary_updated_at = ? WHERE id = ?',
    ),
    getSummary: prepare<[string], SummaryRow>(
      db,
      'SELECT summary, summary_message_count, summary_updated_at FROM agents WHERE id = ?',
    ),
    insertPending: prepare<PendingToolCallRow>(
      db,
      `INSERT INTO pending_tool_calls (agent_id, tool_call_id, name, arguments, style, created_at)
       VALUES (@agent_id, @tool_call_id, @name, @arguments, @style, @created_at)`,
    ),
    deletePending: prepare<[string, string]>(
      db,
      'DELETE FROM pending_tool_calls WHERE agent_id = ? AND tool_call_id = ?',
    ),
    listPending: prepare<[string], PendingToolCallRow>(
      db,
      `SELECT agent_id, tool_call_id, name, arguments, style, created_at FROM pending_tool_calls
       WHERE agent_id = ? ORDER BY rowid`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
