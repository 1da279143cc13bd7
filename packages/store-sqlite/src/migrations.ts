import { BLOCKS_MIGRATION } from './block-migration.ts';
import { type Database, prepare, transaction } from './driver.ts';
import { FORK_MIGRATION } from './fork-statements.ts';
import { LIMITS_MIGRATION } from './limit-store.ts';
import { MCP_SERVERS_MIGRATION } from './mcp-server-migration.ts';
import { RESPONSES_MIGRATION } from './response-migration.ts';
import { USAGE_MIGRATION, USAGE_TURNS_MIGRATION } from './usage-migration.ts';

/** One schema change. Versions only ever grow; a released step is never edited, only followed. */
export interface Migration {
  version: number;
  description: string;
  /** SQL run inside the step's transaction. */
  up: string;
}

/**
 * The schema history, oldest first. Append new steps with the next version number; never reorder
 * or rewrite one that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'users, api keys, agents, memory blocks, messages, pending tool calls',
    up: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        key_hash TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX api_keys_user_id ON api_keys(user_id);
      CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        model TEXT NOT NULL,
        system TEXT NOT NULL,
        context_window INTEGER NOT NULL,
        -- Messages before this seq have left the context window (summarisation moves it).
        context_start_seq INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE INDEX agents_user_id ON agents(user_id, created_at);
      CREATE TABLE memory_blocks (
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        value TEXT NOT NULL,
        "limit" INTEGER NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (agent_id, label)
      ) WITHOUT ROWID;
      CREATE TABLE messages (
        -- AUTOINCREMENT so a seq is never reused, even after the newest rows are deleted.
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'tool', 'system')),
        content TEXT,
        tool_calls TEXT,
        tool_call_id TEXT,
        name TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX messages_agent_seq ON messages(agent_id, seq);
      -- A rowid table on purpose: rowid keeps the order in which the model made the calls.
      CREATE TABLE pending_tool_calls (
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        tool_call_id TEXT NOT NULL,
        name TEXT NOT NULL,
        arguments TEXT NOT NULL,
        style TEXT NOT NULL CHECK (style IN ('tool', 'function')),
        created_at TEXT NOT NULL,
        PRIMARY KEY (agent_id, tool_call_id)
      );
    `,
  },
  {
    version: 2,
    description: 'archival passages, full-text indexes of passages and history, summaries, token counts',
    up: `
      ALTER TABLE agents ADD COLUMN summary TEXT;
      ALTER TABLE agents ADD COLUMN summary_message_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE agents ADD COLUMN summary_updated_at TEXT;
      -- Counted once by the core when the message is stored; NULL for older rows.
      ALTER TABLE messages ADD COLUMN token_count INTEGER;
      CREATE TABLE passages (
        -- AUTOINCREMENT: the full-text index refers to rows by seq, which must never be reused.
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        content TEXT NOT NULL,
        embedding_model TEXT,
        -- float32 little-endian, L2-normalised.
        embedding BLOB,
        created_at TEXT NOT NULL
      );
      CREATE INDEX passages_agent_seq ON passages(agent_id, seq);
      -- Contentless indexes: the text stays in its table, the index only maps words to rows (rowid = seq).
      -- Column agent holds one token per agent (agent-token.ts), so a search intersects posting lists
      -- instead of ranking every agent's matches and filtering them afterwards.
      CREATE VIRTUAL TABLE passages_fts USING fts5(
        agent, text, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2'
      );
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        agent, text, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2'
      );
      -- Counts deletions so that an in-memory vector index (of any process) knows to rebuild;
      -- insertions it detects by seq alone.
      ALTER TABLE agents ADD COLUMN passage_deletions INTEGER NOT NULL DEFAULT 0;
      CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN
        DELETE FROM passages_fts WHERE rowid = old.seq;
        UPDATE agents SET passage_deletions = passage_deletions + 1 WHERE id = old.agent_id;
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        DELETE FROM messages_fts WHERE rowid = old.seq;
      END;
      -- Index the history stored so far, with the rule of the core's messageSearchText: user text,
      -- and the assistant's content plus what it sent with send_message.
      INSERT INTO messages_fts (rowid, agent, text)
      SELECT seq, 'g' || lower(hex(agent_id)) || '0', text FROM (
        SELECT m.seq, m.agent_id, trim(
          CASE WHEN m.role IN ('user', 'assistant') THEN coalesce(m.content, '') ELSE '' END || char(10) ||
          CASE WHEN m.role = 'assistant' AND json_valid(m.tool_calls) THEN coalesce((
            SELECT group_concat(call.value ->> '$.function.arguments' ->> '$.message', char(10))
            FROM json_each(m.tool_calls) AS call
            WHERE call.value ->> '$.function.name' = 'send_message'
              AND json_valid(call.value ->> '$.function.arguments')
          ), '') ELSE '' END,
          ' ' || char(9, 10, 13)
        ) AS text
        FROM messages m
      ) WHERE text <> '';
    `,
  },
  {
    version: 3,
    description: 'request metadata kept with the messages of its turn',
    up: `
      -- JSON object of strings (OpenAI's request metadata), or NULL.
      ALTER TABLE messages ADD COLUMN metadata TEXT;
    `,
  },
  {
    version: 4,
    description: 'attachments: the images of user messages',
    up: `
      CREATE TABLE attachments (
        message_seq INTEGER NOT NULL REFERENCES messages(seq) ON DELETE CASCADE,
        -- Redundant with the message, so a window's attachments are one range scan of this index.
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        -- Characters of the message's text before the image.
        text_offset INTEGER NOT NULL,
        detail TEXT CHECK (detail IN ('auto', 'low', 'high')),
        -- Either the URL the client sent (never fetched) or the decoded bytes of its data: URI.
        url TEXT,
        media_type TEXT,
        data BLOB,
        CHECK ((url IS NULL) <> (data IS NULL)),
        CHECK ((data IS NULL) = (media_type IS NULL)),
        PRIMARY KEY (message_seq, position)
      );
      CREATE INDEX attachments_agent_seq ON attachments(agent_id, message_seq);
    `,
  },
  {
    version: 5,
    description: 'api keys: scope, expiry and last use',
    up: `
      -- 'read' keys read agents, messages and memory; turns and writes need 'full'.
      ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'full' CHECK (scope IN ('full', 'read'));
      -- ISO 8601 instants; NULL: never expires / never used.
      ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
      -- Written at most once a minute per key and instance (AdminService), never on every request.
      ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
    `,
  },
  {
    version: 6,
    description: 'conversations: many threads per agent, each with its window, summary and pending calls',
    up: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        name TEXT,
        -- JSON object of strings, or NULL.
        metadata TEXT,
        -- Messages before this seq have left the conversation's context window.
        context_start_seq INTEGER NOT NULL DEFAULT 0,
        summary TEXT,
        summary_message_count INTEGER NOT NULL DEFAULT 0,
        summary_updated_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX conversations_agent ON conversations(agent_id, created_at);
      -- Every agent's default conversation has the agent's id and takes over its window and summary.
      INSERT INTO conversations
        (id, agent_id, context_start_seq, summary, summary_message_count, summary_updated_at, created_at, updated_at)
      SELECT id, id, context_start_seq, summary, summary_message_count, summary_updated_at, created_at, created_at
      FROM agents;
      ALTER TABLE agents DROP COLUMN context_start_seq;
      ALTER TABLE agents DROP COLUMN summary;
      ALTER TABLE agents DROP COLUMN summary_message_count;
      ALTER TABLE agents DROP COLUMN summary_updated_at;

      ALTER TABLE messages ADD COLUMN conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE;
      UPDATE messages SET conversation_id = agent_id;
      CREATE INDEX messages_conversation_seq ON messages(conversation_id, seq);
      ALTER TABLE pending_tool_calls ADD COLUMN conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE;
      UPDATE pending_tool_calls SET conversation_id = agent_id;
      CREATE INDEX pending_tool_calls_conversation ON pending_tool_calls(conversation_id);

      -- A chat UI's chat id (or any outside key) → the conversation it was given on first use.
      CREATE TABLE conversation_keys (
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        PRIMARY KEY (agent_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX conversation_keys_conversation ON conversation_keys(conversation_id);

      -- Grows with every write, so an edit made from an older read is caught (parallel conversations).
      ALTER TABLE memory_blocks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

      -- The history's index files each message under its agent and its conversation (agent-token.ts:
      -- 'g' and 'c' tokens in the agent column), so a search of one conversation is an index lookup too.
      -- Rebuilt with migration 2's text rule, every message being in its agent's default conversation.
      DELETE FROM messages_fts;
      INSERT INTO messages_fts (rowid, agent, text)
      SELECT seq, 'g' || lower(hex(agent_id)) || '0 c' || lower(hex(conversation_id)) || '0', text FROM (
        SELECT m.seq, m.agent_id, m.conversation_id, trim(
          CASE WHEN m.role IN ('user', 'assistant') THEN coalesce(m.content, '') ELSE '' END || char(10) ||
          CASE WHEN m.role = 'assistant' AND json_valid(m.tool_calls) THEN coalesce((
            SELECT group_concat(call.value ->> '$.function.arguments' ->> '$.message', char(10))
            FROM json_each(m.tool_calls) AS call
            WHERE call.value ->> '$.function.name' = 'send_message'
              AND json_valid(call.value ->> '$.function.arguments')
          ), '') ELSE '' END,
          ' ' || char(9, 10, 13)
        ) AS text
        FROM messages m
      ) WHERE text <> '';
    `,
  },
  {
    version: 7,
    description: 'Hidden messages (rewind, restore) and the window epoch the context-window cache checks',
    up: FORK_MIGRATION,
  },
  RESPONSES_MIGRATION,
  BLOCKS_MIGRATION,
  USAGE_MIGRATION,
  {
    version: 11,
    description: 'agent settings: model roles (summary, embedding, fallbacks) and per-turn limits',
    // A JSON object of AgentSettings; '{}' reads as every default.
    up: "ALTER TABLE agents ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';",
  },
  LIMITS_MIGRATION,
  MCP_SERVERS_MIGRATION,
  {
    version: 14,
    description: 'MCP tools attached to agents, read with the agent row',
    // A JSON array of {serverId, tool}; tool null: all of the server's allowed tools.
    up: "ALTER TABLE agents ADD COLUMN mcp_tools TEXT NOT NULL DEFAULT '[]';",
  },
  USAGE_TURNS_MIGRATION,
];

/**
 * Applies the steps of `migrations` the database has not seen, each in its own IMMEDIATE
 * transaction so that two processes starting together never apply one step twice.
 * Returns the versions it applied.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  assertOrdered(migrations);
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const isApplied = prepare<[number], { version: number }>(
    db,
    'SELECT version FROM schema_migrations WHERE version = ?',
  );
  const record = prepare<[number, string]>(db, 'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  const newest = prepare<[], { version: number | null }>(db, 'SELECT MAX(version) AS version FROM schema_migrations');

  const known = migrations.at(-1)?.version ?? 0;
  const current = newest.get()?.version ?? 0;
  if (current > known) {
    // Running old code on a newer schema would silently misread it: refuse instead.
    throw new Error(`The database schema is at version ${current}, newer than this memgate knows (${known}).`);
  }

  const applied: number[] = [];
  for (const migration of migrations) {
    const step = () => {
      // Checked inside the lock: another process may have applied it since we looked.
      if (isApplied.get(migration.version)) return false;
      db.exec(migration.up);
      record.run(migration.version, new Date().toISOString());
      return true;
    };
    if (transaction(db, 'IMMEDIATE', step)) applied.push(migration.version);
  }
  return applied;
}

function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(`Migration versions must be increasing integers; got ${migration.version} after ${previous}.`);
    }
    previous = migration.version;
  }
}
