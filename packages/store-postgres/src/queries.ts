import { API_KEY_COLUMNS } from '@memgate/core';
import { usageInsert } from './usage.ts';

/**
 * The store's SQL. The hot ones are named, so pg prepares them once per connection and then
 * only binds parameters: a turn runs the same few statements over and over.
 */
/** Columns of a StoredMessage row, shared with the memory queries. */
export const MESSAGE_COLUMNS =
  'seq, id, agent_id, conversation_id, role, content, tool_calls, tool_call_id, name, created_at, token_count, metadata, hidden';
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

/**
 * An agent's columns with its blocks, aggregated in the same statement in their order, each with
 * the number of agents it is attached to: one round trip per read, however many agents.
 * `a` is the agents row (or an UPDATE's RETURNING of it).
 */
export const AGENT_WITH_MEMORY = `
  a.id, a.user_id, a.name, a.model, a.system, a.context_window, a.created_at, a.tags, a.metadata, a.settings, a.mcp_tools,
  COALESCE(
    (SELECT json_agg(
       json_build_object('id', b.id, 'label', b.label, 'value', b.value, 'limit', b."limit",
         'description', b.description, 'readOnly', b.read_only, 'version', b.version,
         'agentCount', (SELECT count(*) FROM agent_blocks n WHERE n.block_id = b.id))
       ORDER BY ab.position)
     FROM agent_blocks ab JOIN blocks b ON b.id = ab.block_id WHERE ab.agent_id = a.id),
    '[]'::json
  ) AS memory`;

const CONVERSATION_COLUMNS = 'id, agent_id, name, metadata, created_at, updated_at';
const CONVERSATION_COLUMNS_OF_C = CONVERSATION_COLUMNS.split(', ')
  .map((column) => `c.${column}`)
  .join(', ');

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
  getApiKey: `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = $1`,

  // With its default conversation (the agent's id), in the same statement: no extra round trip.
  insertAgent: `WITH agent AS (
                  INSERT INTO agents (id, user_id, name, model, system, context_window, created_at, tags, metadata, settings)
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, created_at
                )
                INSERT INTO conversations (id, agent_id, created_at, updated_at)
                SELECT id, id, created_at, created_at FROM agent`,
  getAgent: {
    name: 'memgate_get_agent',
    text: `SELECT ${AGENT_WITH_MEMORY} FROM agents a WHERE a.id = $1 AND a.user_id = $2`,
  },
  listAgents: {
    name: 'memgate_list_agents',
    text: `SELECT ${AGENT_WITH_MEMORY} FROM agents a WHERE a.user_id = $1 ORDER BY a.created_at, a.id`,
  },
  /** [agent, user]: deletes the agent and answers the blocks it had (the cascade takes the attachments after). */
  deleteAgent: `WITH attached AS (SELECT array_agg(block_id) AS block_ids FROM agent_blocks WHERE agent_id = $1),
                deleted AS (DELETE FROM agents WHERE id = $1 AND user_id = $2 RETURNING id)
                SELECT COALESCE(attached.block_ids, '{}') AS block_ids FROM deleted, attached`,
  /** [agent, user, mcp tools JSON] */
  setAgentMcpTools: 'UPDATE agents SET mcp_tools = $3::jsonb WHERE id = $1 AND user_id = $2',
  /** [block ids]: locks them, waiting for any attach of them in progress to end. */
  lockBlocks: 'SELECT 1 FROM blocks WHERE id = ANY ($1::text[]) ORDER BY id FOR UPDATE',
  /** [block ids]: those that are no standalone block and that no agent uses any more. */
  deleteOrphanBlocks: `DELETE FROM blocks b WHERE b.id = ANY ($1::text[]) AND NOT b.standalone
                         AND NOT EXISTS (SELECT 1 FROM agent_blocks ab WHERE ab.block_id = b.id)`,
  /** [agent, user, set?/value pairs of name, model, system, context window, tags, metadata, settings] */
  updateAgent: `WITH a AS (
                  UPDATE agents SET
                    name = CASE WHEN $3::boolean THEN $4 ELSE name END,
                    model = CASE WHEN $5::boolean THEN $6 ELSE model END,
                    system = CASE WHEN $7::boolean THEN $8 ELSE system END,
                    context_window = CASE WHEN $9::boolean THEN $10::int ELSE context_window END,
                    tags = CASE WHEN $11::boolean THEN $12::jsonb ELSE tags END,
                    metadata = CASE WHEN $13::boolean THEN $14::jsonb ELSE metadata END,
                    settings = CASE WHEN $15::boolean THEN $16::jsonb ELSE settings END
                  WHERE id = $1 AND user_id = $2 RETURNING *
                )
                SELECT ${AGENT_WITH_MEMORY} FROM a`,
  /** [agent, label, value, at]: the user's write of one of the agent's blocks, with its history row. */
  setMemoryBlock: {
    name: 'memgate_set_memory_block',
    text: `WITH updated AS (
             UPDATE blocks b SET value = $3, version = b.version + 1, updated_at = $4
             FROM agent_blocks ab WHERE ab.agent_id = $1 AND ab.block_id = b.id AND b.label = $2
             RETURNING b.id, b.label, b.value, b."limit", b.description, b.read_only, b.version
           ), recorded AS (
             INSERT INTO block_history (block_id, version, value, actor, at)
             SELECT id, version, value, 'user', $4 FROM updated
           )
           SELECT id, label, value, "limit", description, read_only, version,
             (SELECT count(*)::int FROM agent_blocks n WHERE n.block_id = updated.id) AS agent_count
           FROM updated`,
  },

  commitStep: {
    name: 'memgate_commit_step',
    text: `SELECT message_id AS id, message_seq AS seq
           FROM memgate_commit_step(${Array.from({ length: 30 }, (_, index) => `$${index + 1}`).join(', ')})`,
  },
  // A data-modifying CTE runs whether or not it is read, in the statement's transaction: the usage
  // rows are written with the step, or not at all when the function raises.
  commitStepWithUsage: {
    name: 'memgate_commit_step_with_usage',
    text: `WITH usage AS (${usageInsert(31)})
           SELECT message_id AS id, message_seq AS seq
           FROM memgate_commit_step(${Array.from({ length: 30 }, (_, index) => `$${index + 1}`).join(', ')})`,
  },

  // The history pages take a last parameter: true lists the messages a rewind hid too.
  /** [agent, limit, include hidden] */
  latestMessages: {
    name: 'memgate_latest_messages_with_attachments',
    text: `SELECT ${MESSAGE_COLUMNS_OF_M}, ${ATTACHMENTS_OF_M} FROM messages m
           WHERE m.agent_id = $1 AND ($3::boolean OR NOT m.hidden) ORDER BY m.seq DESC LIMIT $2`,
  },
  // An unknown cursor (or another agent's) makes the subquery NULL, and `seq < NULL` matches nothing.
  /** [agent, cursor id, limit, include hidden] */
  messagesBefore: {
    name: 'memgate_messages_before_with_attachments',
    text: `SELECT ${MESSAGE_COLUMNS_OF_M}, ${ATTACHMENTS_OF_M} FROM messages m
           WHERE m.agent_id = $1 AND m.seq < (SELECT seq FROM messages WHERE agent_id = $1 AND id = $2)
             AND ($4::boolean OR NOT m.hidden)
           ORDER BY m.seq DESC LIMIT $3`,
  },
  /** [conversation, agent, limit, include hidden]: a conversation's newest messages, if it is the agent's. */
  latestConversationMessages: {
    name: 'memgate_latest_conversation_messages',
    text: `SELECT ${MESSAGE_COLUMNS_OF_M}, ${ATTACHMENTS_OF_M} FROM messages m
           WHERE m.conversation_id = $1 AND m.agent_id = $2 AND ($4::boolean OR NOT m.hidden)
           ORDER BY m.seq DESC LIMIT $3`,
  },
  /** [conversation, agent, cursor id, limit, include hidden]: the cursor is looked up within the agent, as for messagesBefore. */
  conversationMessagesBefore: {
    name: 'memgate_conversation_messages_before',
    text: `SELECT ${MESSAGE_COLUMNS_OF_M}, ${ATTACHMENTS_OF_M} FROM messages m
           WHERE m.conversation_id = $1 AND m.agent_id = $2
             AND m.seq < (SELECT seq FROM messages WHERE agent_id = $2 AND id = $3)
             AND ($5::boolean OR NOT m.hidden)
           ORDER BY m.seq DESC LIMIT $4`,
  },
  /** [agent, message id] */
  messageById: {
    name: 'memgate_message_by_id',
    text: `SELECT ${MESSAGE_COLUMNS_OF_M}, ${ATTACHMENTS_OF_M} FROM messages m WHERE m.agent_id = $1 AND m.id = $2`,
  },
  /**
   * The conversation's window start, incarnation and summary, with the window's messages: all of
   * them, or only those after $4 when the caller's copy is still good ($2 is still the incarnation
   * and the start has not moved back below $3). The incarnation read and compared is the row's
   * incarnation and its `window_epoch` ("12.3"): a rewind or restore moves the epoch, so a copy
   * taken before it is read anew (hidden messages are never in a window). One row with NULL message columns when there are
   * none; no row for an unknown conversation. One statement, so the summary and the window are of
   * one snapshot.
   */
  contextWindow: {
    name: 'memgate_context_window',
    text: `SELECT c.context_start_seq AS start_seq, c.incarnation || '.' || c.window_epoch AS incarnation, c.summary,
             c.summary_message_count, c.summary_updated_at, ${MESSAGE_COLUMNS_OF_M}, ${ATTACHMENTS_OF_M}
           FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq >= c.context_start_seq
             AND NOT m.hidden
             AND m.seq > (CASE WHEN c.incarnation || '.' || c.window_epoch = $2::text AND c.context_start_seq >= $3::bigint
                          THEN $4::bigint ELSE -1 END)
           WHERE c.id = $1 ORDER BY m.seq`,
  },

  listPending: {
    name: 'memgate_list_pending',
    text: `SELECT agent_id, tool_call_id, name, arguments, style, created_at FROM pending_tool_calls
           WHERE conversation_id = $1 ORDER BY position`,
  },

  insertConversation: `INSERT INTO conversations (id, agent_id, name, metadata, created_at, updated_at)
                       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CONVERSATION_COLUMNS}`,
  /** [conversation, user] */
  getConversation: {
    name: 'memgate_get_conversation',
    text: `SELECT ${CONVERSATION_COLUMNS_OF_C} FROM conversations c JOIN agents a ON a.id = c.agent_id
           WHERE c.id = $1 AND a.user_id = $2`,
  },
  /** [agent, limit] */
  latestConversations: `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE agent_id = $1
                        ORDER BY incarnation DESC LIMIT $2`,
  /** [agent, cursor id, limit]: an unknown cursor (or another agent's) matches nothing. */
  conversationsBefore: `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE agent_id = $1
                          AND incarnation < (SELECT incarnation FROM conversations WHERE agent_id = $1 AND id = $2)
                        ORDER BY incarnation DESC LIMIT $3`,
  /** [id, set name?, name, set metadata?, metadata, updated at] */
  updateConversation: `UPDATE conversations SET
                         name = CASE WHEN $2::boolean THEN $3 ELSE name END,
                         metadata = CASE WHEN $4::boolean THEN $5::jsonb ELSE metadata END,
                         updated_at = $6
                       WHERE id = $1 RETURNING ${CONVERSATION_COLUMNS}`,
  deleteConversation: 'DELETE FROM conversations WHERE id = $1',
  /** [agent, key] */
  conversationOfKey: {
    name: 'memgate_conversation_of_key',
    text: `SELECT ${CONVERSATION_COLUMNS_OF_C} FROM conversation_keys k JOIN conversations c ON c.id = k.conversation_id
           WHERE k.agent_id = $1 AND k.key = $2`,
  },
  insertConversationKey: 'INSERT INTO conversation_keys (agent_id, key, conversation_id) VALUES ($1, $2, $3)',
  // Serialises the first uses of an agent's keys (and finds a missing agent).
  lockAgent: 'SELECT 1 FROM agents WHERE id = $1 FOR NO KEY UPDATE',
} as const;
