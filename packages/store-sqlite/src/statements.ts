import type { PendingToolCallRow, SummaryRow, UserRow } from '@memgate/core';
import type Database from 'better-sqlite3';
import { prepareMemoryStatements } from './memory-statements.ts';
import type { AgentRow, MemoryBlockRow, MessageParams, MessageRow } from './rows.ts';

const MESSAGE_COLUMNS = 'seq, id, agent_id, role, content, tool_calls, tool_call_id, name, created_at, token_count';
// Qualified for the join with agents, which shares the id, name and created_at column names.
const MESSAGE_COLUMNS_OF_M = MESSAGE_COLUMNS.split(', ')
  .map((column) => `m.${column}`)
  .join(', ');
const AGENT_COLUMNS = 'id, user_id, name, model, system, context_window, created_at';

/**
 * Every statement the store runs, prepared once per connection: preparing is the expensive
 * part of a small query, and a turn step runs several.
 */
export function prepareStatements(db: Database.Database) {
  return {
    ...prepareMemoryStatements(db),
    // Reads a table only migrate() creates, so a ping fails on an unmigrated database too.
    schemaVersion: db.prepare('SELECT MAX(version) FROM schema_migrations'),
    insertUser: db.prepare<UserRow>('INSERT INTO users (id, name, created_at) VALUES (@id, @name, @created_at)'),
    getUser: db.prepare<[string], UserRow>('SELECT id, name, created_at FROM users WHERE id = ?'),
    getUserByName: db.prepare<[string], UserRow>('SELECT id, name, created_at FROM users WHERE name = ?'),
    listUsers: db.prepare<[], UserRow>('SELECT id, name, created_at FROM users ORDER BY created_at, rowid'),

    insertApiKey: db.prepare<[string, string, string, string, string]>(
      'INSERT INTO api_keys (id, user_id, key_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    findUserIdByKeyHash: db.prepare<[string], string>('SELECT user_id FROM api_keys WHERE key_hash = ?').pluck(),
    deleteApiKey: db.prepare<[string]>('DELETE FROM api_keys WHERE id = ?'),

    insertAgent: db.prepare<AgentRow>(
      `INSERT INTO agents (${AGENT_COLUMNS})
       VALUES (@id, @user_id, @name, @model, @system, @context_window, @created_at)`,
    ),
    getAgent: db.prepare<[string, string], AgentRow>(
      `SELECT ${AGENT_COLUMNS} FROM agents WHERE id = ? AND user_id = ?`,
    ),
    listAgents: db.prepare<[string], AgentRow>(
      `SELECT ${AGENT_COLUMNS} FROM agents WHERE user_id = ? ORDER BY created_at, rowid`,
    ),
    deleteAgent: db.prepare<[string, string]>('DELETE FROM agents WHERE id = ? AND user_id = ?'),

    insertBlock: db.prepare<[string, string, string, number, number]>(
      'INSERT INTO memory_blocks (agent_id, label, value, "limit", position) VALUES (?, ?, ?, ?, ?)',
    ),
    blocksOfAgent: db.prepare<[string], MemoryBlockRow>(
      'SELECT agent_id, label, value, "limit" FROM memory_blocks WHERE agent_id = ? ORDER BY position',
    ),
    blocksOfUser: db.prepare<[string], MemoryBlockRow>(
      `SELECT b.agent_id, b.label, b.value, b."limit" FROM memory_blocks b
       JOIN agents a ON a.id = b.agent_id WHERE a.user_id = ? ORDER BY b.agent_id, b.position`,
    ),
    updateBlock: db.prepare<[string, string, string], MemoryBlockRow>(
      `UPDATE memory_blocks SET value = ? WHERE agent_id = ? AND label = ?
       RETURNING agent_id, label, value, "limit"`,
    ),

    insertMessage: db.prepare<MessageParams>(
      `INSERT INTO messages (id, agent_id, role, content, tool_calls, tool_call_id, name, created_at, token_count)
       VALUES (@id, @agent_id, @role, @content, @tool_calls, @tool_call_id, @name, @created_at, @token_count)`,
    ),
    messageSeq: db.prepare<[string, string], number>('SELECT seq FROM messages WHERE agent_id = ? AND id = ?').pluck(),
    latestMessages: db.prepare<[string, number], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE agent_id = ? ORDER BY seq DESC LIMIT ?`,
    ),
    messagesBefore: db.prepare<[string, number, number], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE agent_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    ),
    contextStart: db.prepare<[string], { start: number }>('SELECT context_start_seq AS start FROM agents WHERE id = ?'),
    messagesAfter: db.prepare<[string, number], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE agent_id = ? AND seq > ? ORDER BY seq`,
    ),
    contextMessages: db.prepare<[string], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS_OF_M} FROM messages m JOIN agents a ON a.id = m.agent_id
       WHERE m.agent_id = ? AND m.seq >= a.context_start_seq ORDER BY m.seq`,
    ),

    setContextStart: db.prepare<[number, string]>('UPDATE agents SET context_start_seq = ? WHERE id = ?'),
    setSummary: db.prepare<[string, number, string, string]>(
      'UPDATE agents SET summary = ?, summary_message_count = ?, summary_updated_at = ? WHERE id = ?',
    ),
    getSummary: db.prepare<[string], SummaryRow>(
      'SELECT summary, summary_message_count, summary_updated_at FROM agents WHERE id = ?',
    ),
    insertPending: db.prepare<PendingToolCallRow>(
      `INSERT INTO pending_tool_calls (agent_id, tool_call_id, name, arguments, style, created_at)
       VALUES (@agent_id, @tool_call_id, @name, @arguments, @style, @created_at)`,
    ),
    deletePending: db.prepare<[string, string]>(
      'DELETE FROM pending_tool_calls WHERE agent_id = ? AND tool_call_id = ?',
    ),
    listPending: db.prepare<[string], PendingToolCallRow>(
      `SELECT agent_id, tool_call_id, name, arguments, style, created_at FROM pending_tool_calls
       WHERE agent_id = ? ORDER BY rowid`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
