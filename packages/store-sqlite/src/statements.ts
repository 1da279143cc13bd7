import {
  API_KEY_COLUMNS,
  type ApiKeyRow,
  type PendingToolCallRow,
  type SummaryRow,
  type UserRow,
} from '@memgate/core/store-kit';
import type { AttachmentRow } from './attachments.ts';
import { prepareBlockStatements } from './block-statements.ts';
import { type Database, prepare, prepareValue } from './driver.ts';
import { prepareForkStatements } from './fork-statements.ts';
import { prepareLimitStatements } from './limit-store.ts';
import { prepareMcpServerStatements } from './mcp-server-statements.ts';
import { MESSAGE_COLUMNS, prepareMemoryStatements } from './memory-statements.ts';
import { prepareResponseStatements } from './response-statements.ts';
import type { AgentRow, ConversationRow, MessageParams, MessageRow } from './rows.ts';
import { prepareUsageStatements } from './usage-statements.ts';

// Qualified for the join with conversations, which shares the id, name and created_at column names.
const MESSAGE_COLUMNS_OF_M = MESSAGE_COLUMNS.split(', ')
  .map((column) => `m.${column}`)
  .join(', ');
const AGENT_COLUMNS =
  'id, user_id, name, model, system, context_window, created_at, tags, metadata, settings, mcp_tools';
const CONVERSATION_COLUMNS = 'id, agent_id, name, metadata, created_at, updated_at';
const CONVERSATION_COLUMNS_OF_C = CONVERSATION_COLUMNS.split(', ')
  .map((column) => `c.${column}`)
  .join(', ');

/**
 * Every statement the store runs, prepared once per connection: preparing is the expensive
 * part of a small query, and a turn step runs several.
 */
export function prepareStatements(db: Database) {
  return {
    ...prepareMemoryStatements(db),
    ...prepareResponseStatements(db),
    ...prepareBlockStatements(db),
    ...prepareUsageStatements(db),
    ...prepareLimitStatements(db),
    ...prepareMcpServerStatements(db),
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
    getApiKey: prepare<[string], ApiKeyRow>(db, `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ?`),
    listApiKeys: prepare<[string], ApiKeyRow>(
      db,
      `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE user_id = ? ORDER BY created_at, rowid`,
    ),
    touchApiKey: prepare<[string, string]>(db, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?'),
    deleteApiKey: prepare<[string]>(db, 'DELETE FROM api_keys WHERE id = ?'),

    insertAgent: prepare<AgentRow>(
      db,
      `INSERT INTO agents (${AGENT_COLUMNS})
       VALUES (@id, @user_id, @name, @model, @system, @context_window, @created_at, @tags, @metadata, @settings, @mcp_tools)`,
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
    /** [mcp tools JSON, agent id, user id] */
    setAgentMcpTools: prepare<[string, string, string]>(
      db,
      'UPDATE agents SET mcp_tools = ? WHERE id = ? AND user_id = ?',
    ),
    /** [name, model, system, context window, tags, metadata, settings, agent id, user id] */
    updateAgent: prepare<[string, string, string, number, string, string | null, string, string, string], AgentRow>(
      db,
      `UPDATE agents SET name = ?, model = ?, system = ?, context_window = ?, tags = ?, metadata = ?, settings = ?
       WHERE id = ? AND user_id = ? RETURNING ${AGENT_COLUMNS}`,
    ),

    insertConversation: prepare<ConversationRow>(
      db,
      `INSERT INTO conversations (${CONVERSATION_COLUMNS})
       VALUES (@id, @agent_id, @name, @metadata, @created_at, @updated_at)`,
    ),
    /** [conversation id, user id] */
    getConversation: prepare<[string, string], ConversationRow>(
      db,
      `SELECT ${CONVERSATION_COLUMNS_OF_C} FROM conversations c JOIN agents a ON a.id = c.agent_id
       WHERE c.id = ? AND a.user_id = ?`,
    ),
    conversationById: prepare<[string], ConversationRow>(
      db,
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = ?`,
    ),
    /** [conversation id, agent id]: whether a step's conversation is the agent's. */
    conversationOfAgent: prepareValue<[string, string], number>(
      db,
      'SELECT 1 FROM conversations WHERE id = ? AND agent_id = ?',
    ),
    latestConversations: prepare<[string, number], ConversationRow>(
      db,
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE agent_id = ? ORDER BY rowid DESC LIMIT ?`,
    ),
    conversationRowid: prepareValue<[string, string], number>(
      db,
      'SELECT rowid FROM conversations WHERE agent_id = ? AND id = ?',
    ),
    conversationsBefore: prepare<[string, number, number], ConversationRow>(
      db,
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE agent_id = ? AND rowid < ? ORDER BY rowid DESC LIMIT ?`,
    ),
    /** [name, metadata, updated at, id]; name and metadata are COALESCEd by the caller's choice (see update-conversation). */
    updateConversation: prepare<[string | null, string | null, string, string], ConversationRow>(
      db,
      `UPDATE conversations SET name = ?, metadata = ?, updated_at = ? WHERE id = ?
       RETURNING ${CONVERSATION_COLUMNS}`,
    ),
    deleteConversation: prepare<[string]>(db, 'DELETE FROM conversations WHERE id = ?'),
    /** [agent id, key] */
    conversationOfKey: prepare<[string, string], ConversationRow>(
      db,
      `SELECT ${CONVERSATION_COLUMNS_OF_C} FROM conversation_keys k JOIN conversations c ON c.id = k.conversation_id
       WHERE k.agent_id = ? AND k.key = ?`,
    ),
    insertConversationKey: prepare<[string, string, string]>(
      db,
      'INSERT INTO conversation_keys (agent_id, key, conversation_id) VALUES (?, ?, ?)',
    ),

    insertMessage: prepare<MessageParams>(
      db,
      `INSERT INTO messages
         (id, agent_id, conversation_id, role, content, tool_calls, tool_call_id, name, created_at, token_count, metadata)
       VALUES
         (@id, @agent_id, @conversation_id, @role, @content, @tool_calls, @tool_call_id, @name, @created_at,
          @token_count, @metadata)`,
    ),
    messageSeq: prepareValue<[string, string], number>(db, 'SELECT seq FROM messages WHERE agent_id = ? AND id = ?'),
    // The history pages take a flag after the owner: 1 lists hidden messages too, 0 leaves them out.
    /** [agent id, include hidden, limit] */
    latestMessages: prepare<[string, number, number], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE agent_id = ? AND (? OR hidden = 0) ORDER BY seq DESC LIMIT ?`,
    ),
    /** [agent id, include hidden, before seq, limit] */
    messagesBefore: prepare<[string, number, number, number], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE agent_id = ? AND (? OR hidden = 0) AND seq < ?
       ORDER BY seq DESC LIMIT ?`,
    ),
    /** [conversation id, include hidden, limit] */
    latestInConversation: prepare<[string, number, number], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND (? OR hidden = 0) ORDER BY seq DESC LIMIT ?`,
    ),
    /** [conversation id, include hidden, before seq, limit] */
    conversationMessagesBefore: prepare<[string, number, number, number], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND (? OR hidden = 0) AND seq < ?
       ORDER BY seq DESC LIMIT ?`,
    ),
    /** The window start, and the epoch that a rewind or restore moves (the window cache reloads then). */
    contextStart: prepare<[string], { start: number; agent_id: string; epoch: number }>(
      db,
      'SELECT context_start_seq AS start, agent_id, window_epoch AS epoch FROM conversations WHERE id = ?',
    ),
    /** [conversation id, after seq] */
    messagesAfter: prepare<[string, number], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND seq > ? AND hidden = 0 ORDER BY seq`,
    ),
    contextMessages: prepare<[string], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS_OF_M} FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.conversation_id = ? AND m.seq >= c.context_start_seq AND m.hidden = 0 ORDER BY m.seq`,
    ),
    /** [agent id, message id] */
    messageById: prepare<[string, string], MessageRow>(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE agent_id = ? AND id = ?`,
    ),
    ...prepareForkStatements(db),

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

    setContextStart: prepare<[number, string]>(db, 'UPDATE conversations SET context_start_seq = ? WHERE id = ?'),
    setSummary: prepare<[string, number, string, string]>(
      db,
      'UPDATE conversations SET summary = ?, summary_message_count = ?, summary_updated_at = ? WHERE id = ?',
    ),
    getSummary: prepare<[string], SummaryRow>(
      db,
      'SELECT summary, summary_message_count, summary_updated_at FROM conversations WHERE id = ?',
    ),
    insertPending: prepare<PendingToolCallRow & { conversation_id: string }>(
      db,
      `INSERT INTO pending_tool_calls (agent_id, conversation_id, tool_call_id, name, arguments, style, created_at)
       VALUES (@agent_id, @conversation_id, @tool_call_id, @name, @arguments, @style, @created_at)`,
    ),
    /** [conversation id, tool call id] */
    deletePending: prepare<[string, string]>(
      db,
      'DELETE FROM pending_tool_calls WHERE conversation_id = ? AND tool_call_id = ?',
    ),
    listPending: prepare<[string], PendingToolCallRow>(
      db,
      `SELECT agent_id, tool_call_id, name, arguments, style, created_at FROM pending_tool_calls
       WHERE conversation_id = ? ORDER BY rowid`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
