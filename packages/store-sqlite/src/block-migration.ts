import type { Migration } from './migrations.ts';

/**
 * Migration 9: memory blocks become their own entity, so that several agents can share one (Letta's
 * shared blocks) and every write of a value is kept (`block_history`). Each agent's blocks move into
 * `blocks` with a new id, attached at their old position, with their current value as the first
 * entry of their history; `memory_blocks` goes.
 */
export const BLOCKS_MIGRATION: Migration = {
  version: 9,
  description: 'blocks as their own entity: shared between agents, with a history; agent tags and metadata',
  up: `
    CREATE TABLE blocks (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      label TEXT NOT NULL,
      value TEXT NOT NULL,
      "limit" INTEGER NOT NULL,
      description TEXT,
      read_only INTEGER NOT NULL DEFAULT 0 CHECK (read_only IN (0, 1)),
      -- Grows with every write of the value (the optimistic check of concurrent edits).
      version INTEGER NOT NULL DEFAULT 1,
      -- JSON object of strings, or NULL.
      metadata TEXT,
      -- 1: made through /v1/blocks, so it outlives the agents it is attached to; 0: made with an
      -- agent or by an import, deleted with the last agent that holds it.
      standalone INTEGER NOT NULL DEFAULT 0 CHECK (standalone IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    -- The rowid is the paging order of a user's blocks; the index ends with it.
    CREATE INDEX blocks_user_label ON blocks(user_id, label);
    -- A rowid table on purpose: rowid keeps the order in which agents attached a block.
    CREATE TABLE agent_blocks (
      agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
      block_id TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      PRIMARY KEY (agent_id, block_id)
    );
    CREATE INDEX agent_blocks_block ON agent_blocks(block_id);
    CREATE TABLE block_history (
      block_id TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      value TEXT NOT NULL,
      actor TEXT NOT NULL CHECK (actor IN ('agent', 'user', 'import')),
      agent_id TEXT,
      message_id TEXT,
      at TEXT NOT NULL,
      PRIMARY KEY (block_id, version)
    ) WITHOUT ROWID;

    ALTER TABLE agents ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE agents ADD COLUMN metadata TEXT;

    -- Each old block gets an id shaped like the core's (block-<uuid v4>).
    CREATE TEMP TABLE moved_blocks AS
    SELECT m.agent_id, m.label, m.value, m."limit", m.position, m.version, a.user_id, a.created_at,
      'block-' || lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
        substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
        substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) AS id
    FROM memory_blocks m JOIN agents a ON a.id = m.agent_id;
    -- In the order of their agents and their places there: the rowid is the order a block list pages in.
    INSERT INTO blocks (id, user_id, label, value, "limit", version, standalone, created_at, updated_at)
    SELECT id, user_id, label, value, "limit", version, 0, created_at, created_at FROM moved_blocks
    ORDER BY created_at, agent_id, position;
    INSERT INTO agent_blocks (agent_id, block_id, position)
    SELECT agent_id, id, position FROM moved_blocks ORDER BY agent_id, position;
    INSERT INTO block_history (block_id, version, value, actor, at)
    SELECT id, version, value, 'user', created_at FROM moved_blocks;
    DROP TABLE moved_blocks;
    DROP TABLE memory_blocks;
  `,
};
