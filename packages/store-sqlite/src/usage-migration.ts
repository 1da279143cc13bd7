import type { Migration } from './migrations.ts';

/**
 * Migration 10: one row per upstream call (see `UsageRecord`). No foreign key to the agent: what
 * an agent cost stays after it is deleted; the rows go with their user.
 */
export const USAGE_MIGRATION: Migration = {
  version: 10,
  description: 'usage records: one row per upstream call, with its tokens, cost and outcome',
  up: `
    CREATE TABLE usage_records (
      id TEXT PRIMARY KEY,
      -- ISO 8601 in UTC, so that its first ten characters are its day.
      at TEXT NOT NULL,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      key_id TEXT,
      agent_id TEXT,
      conversation_id TEXT,
      model TEXT NOT NULL,
      provider TEXT NOT NULL,
      purpose TEXT NOT NULL CHECK (purpose IN ('step', 'summary', 'embedding')),
      prompt_tokens INTEGER NOT NULL,
      cached_tokens INTEGER NOT NULL,
      completion_tokens INTEGER NOT NULL,
      cost_usd REAL,
      latency_ms INTEGER NOT NULL,
      outcome TEXT NOT NULL
    );
    CREATE INDEX usage_records_user_at ON usage_records(user_id, at);
    CREATE INDEX usage_records_at ON usage_records(at);
  `,
};

/**
 * Migration 15: the turn each call was made for (`UsageRecord.turnId`), so that a summary counts
 * turns. Older rows keep null: their turns are unknown and count none. No index: the summaries
 * read it from rows their range already selects.
 */
export const USAGE_TURNS_MIGRATION: Migration = {
  version: 15,
  description: 'usage records: the turn each call was made for',
  up: 'ALTER TABLE usage_records ADD COLUMN turn_id TEXT;',
};
