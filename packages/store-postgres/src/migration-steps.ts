import { BLOCKS_MIGRATION } from './blocks-migration.ts';
import { COMMIT_STEP_MIGRATION } from './commit-step-function.ts';
import { CONVERSATIONS_MIGRATION } from './conversations-migration.ts';
import { FORK_MIGRATION } from './fork-migration.ts';
import { LIMITS_MIGRATION } from './limits.ts';
import { MCP_SERVERS_MIGRATION } from './mcp-servers.ts';
import { RESPONSES_MIGRATION } from './responses.ts';
import { USAGE_MIGRATION, USAGE_TURNS_MIGRATION } from './usage.ts';

/** One schema change. Versions only ever grow; a released step is never edited, only followed. */
export interface Migration {
  version: number;
  description: string;
  /** SQL run inside the step's transaction. */
  up: string;
}

/**
 * The schema history, oldest first. Append new steps with the next version number; never
 * reorder or rewrite one that has shipped. Mirrors the SQLite schema table for table.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'users, api keys, agents with summaries, memory blocks, messages, passages, pending tool calls',
    up: `
      -- Timestamps stay ISO-8601 text, as in SQLite: they round-trip exactly and sort in time order.
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
        context_start_seq BIGINT NOT NULL DEFAULT 0,
        -- The recursive summary of what left the window, written with the move.
        summary TEXT,
        summary_message_count INTEGER NOT NULL DEFAULT 0,
        summary_updated_at TEXT,
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
      );
      CREATE TABLE messages (
        -- An identity never hands out a value twice, even after the newest rows are deleted.
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'tool', 'system')),
        content TEXT,
        tool_calls JSONB,
        tool_call_id TEXT,
        name TEXT,
        created_at TEXT NOT NULL,
        -- Counted once by the core when the message is stored.
        token_count INTEGER,
        -- The core's messageSearchText (what the user wrote, what the assistant said or sent),
        -- stemmed; NULL for messages recall search leaves out (tool results, alerts).
        search_vector TSVECTOR
      );
      CREATE INDEX messages_agent_seq ON messages(agent_id, seq);
      CREATE INDEX messages_search ON messages USING GIN (search_vector);
      CREATE TABLE passages (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        content TEXT NOT NULL,
        -- A vector is only ever compared with query vectors of the same model. float32
        -- little-endian, L2-normalised, as in SQLite: memgate scans them itself, since no vector
        -- extension can be assumed (an SQL dot product over REAL[] is ten times slower).
        embedding_model TEXT,
        embedding BYTEA,
        created_at TEXT NOT NULL,
        search_vector TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
        CHECK ((embedding IS NULL) = (embedding_model IS NULL))
      );
      CREATE INDEX passages_agent_seq ON passages(agent_id, seq);
      CREATE INDEX passages_search ON passages USING GIN (search_vector);
      CREATE TABLE pending_tool_calls (
        -- Keeps the order in which the model made the calls (SQLite uses its rowid for this).
        position BIGINT GENERATED ALWAYS AS IDENTITY,
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
    description: 'request metadata kept with the messages of its turn',
    up: `
      -- JSON object of strings (OpenAI's request metadata), or NULL.
      ALTER TABLE messages ADD COLUMN metadata JSONB;
    `,
  },
  {
    version: 3,
    description: 'attachments: the images of user messages',
    up: `
      CREATE TABLE attachments (
        message_seq BIGINT NOT NULL REFERENCES messages(seq) ON DELETE CASCADE,
        -- Redundant with the message, so a window's attachments are one range scan of this index.
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        -- Characters of the message's text before the image.
        text_offset INTEGER NOT NULL,
        detail TEXT CHECK (detail IN ('auto', 'low', 'high')),
        -- Either the URL the client sent (never fetched) or the decoded bytes of its data: URI.
        url TEXT,
        media_type TEXT,
        data BYTEA,
        CHECK ((url IS NULL) <> (data IS NULL)),
        CHECK ((data IS NULL) = (media_type IS NULL)),
        PRIMARY KEY (message_seq, position)
      );
      CREATE INDEX attachments_agent_seq ON attachments(agent_id, message_seq);
    `,
  },
  {
    version: 4,
    description: 'api keys: scope, expiry and last use',
    up: `
      -- 'read' keys read agents, messages and memory; turns and writes need 'full'.
      ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'full' CHECK (scope IN ('full', 'read'));
      -- ISO 8601 instants, as every other time column; NULL: never expires / never used.
      ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
      -- Written at most once a minute per key and instance (AdminService), never on every request.
      ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
    `,
  },
  {
    version: 5,
    description: 'one round trip per turn step: agent incarnations and the memgate_commit_step function',
    up: COMMIT_STEP_MIGRATION,
  },
  {
    version: 6,
    description:
      'conversations: many threads per agent, each with its window, summary and pending calls; memory block versions',
    up: CONVERSATIONS_MIGRATION,
  },
  {
    version: 7,
    description: 'hidden messages (rewind, restore) and the window epoch the context-window cache checks',
    up: FORK_MIGRATION,
  },
  {
    version: 8,
    description: 'responses: stored Responses API responses, each in a conversation',
    up: RESPONSES_MIGRATION,
  },
  {
    version: 9,
    description: 'blocks of their own: shared between agents, with descriptions and history; agent tags and metadata',
    up: BLOCKS_MIGRATION,
  },
  {
    version: 10,
    description: 'usage records: one row per upstream call, with its tokens, cost and outcome',
    up: USAGE_MIGRATION,
  },
  {
    version: 11,
    description: 'agent settings: model roles (summary, embedding, fallbacks) and per-turn limits',
    // A JSON object of AgentSettings; '{}' reads as every default.
    up: "ALTER TABLE agents ADD COLUMN settings JSONB NOT NULL DEFAULT '{}'::jsonb;",
  },
  {
    version: 12,
    description: 'limits per user and per API key: rpm, tpm, concurrent turns, budget, exempt',
    up: LIMITS_MIGRATION,
  },
  {
    version: 13,
    description: "MCP servers: a user's tool sources, headers encrypted",
    up: MCP_SERVERS_MIGRATION,
  },
  {
    version: 14,
    description: 'MCP tools attached to agents, read with the agent row',
    // A JSON array of {serverId, tool}; tool null: all of the server's allowed tools.
    up: "ALTER TABLE agents ADD COLUMN mcp_tools JSONB NOT NULL DEFAULT '[]'::jsonb;",
  },
  {
    version: 15,
    description: 'usage records: the turn each call was made for',
    up: USAGE_TURNS_MIGRATION,
  },
];
