import type { UsageGroup, UsageGroupBy, UsageQuery, UsageRecord, UsageTurnCounts } from '@memgate/core';
import {
  toUsageGroup,
  toUsageRow,
  toUsageTurnCounts,
  USAGE_COLUMNS,
  USAGE_GROUP_COLUMNS,
  USAGE_SUMS,
  type UsageGroupRow,
  type UsageRow,
  type UsageTurnsRow,
  usageTurnsSql,
} from '@memgate/core/store-kit';
import type { Pool } from 'pg';
import { translateConstraints } from './postgres-errors.ts';

/**
 * Migration 10: one row per upstream call (see `UsageRecord`). No foreign key to the agent: what
 * an agent cost stays after it is deleted; the rows go with their user.
 */
export const USAGE_MIGRATION = `
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
    cost_usd DOUBLE PRECISION,
    latency_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL
  );
  CREATE INDEX usage_records_user_at ON usage_records(user_id, at);
  CREATE INDEX usage_records_at ON usage_records(at);
`;

/**
 * Migration 15: the turn each call was made for (`UsageRecord.turnId`), so that a summary counts
 * turns. Older rows keep null: their turns are unknown and count none. No index: the summaries
 * read it from rows their range already selects.
 */
export const USAGE_TURNS_MIGRATION = 'ALTER TABLE usage_records ADD COLUMN turn_id TEXT;';

const COLUMN_TYPES: Record<(typeof USAGE_COLUMNS)[number], string> = {
  id: 'text',
  at: 'text',
  user_id: 'text',
  key_id: 'text',
  agent_id: 'text',
  conversation_id: 'text',
  turn_id: 'text',
  model: 'text',
  provider: 'text',
  purpose: 'text',
  prompt_tokens: 'integer',
  cached_tokens: 'integer',
  completion_tokens: 'integer',
  cost_usd: 'double precision',
  latency_ms: 'integer',
  outcome: 'text',
};

/**
 * An INSERT of usage rows from one array parameter per column, numbered from `first`: a step's
 * records travel with its commit as a data-modifying CTE (see commit-step.ts), so one statement
 * still writes the whole step.
 */
export function usageInsert(first: number): string {
  const arrays = USAGE_COLUMNS.map((column, index) => `$${first + index}::${COLUMN_TYPES[column]}[]`);
  return `INSERT INTO usage_records (${USAGE_COLUMNS.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')})`;
}

/** The column arrays of `usageInsert`, in `USAGE_COLUMNS` order. */
export function usageColumns(records: UsageRecord[]): unknown[][] {
  const rows = records.map(toUsageRow);
  return USAGE_COLUMNS.map((column) => rows.map((row: UsageRow) => row[column]));
}

function summary(groupBy: UsageGroupBy, allUsers: boolean) {
  const column = USAGE_GROUP_COLUMNS[groupBy];
  const where = allUsers ? 'at >= $1 AND at < $2' : 'user_id = $3 AND at >= $1 AND at < $2';
  return {
    name: `memgate_usage_by_${groupBy}${allUsers ? '_all' : ''}`,
    text: `SELECT ${column} AS key, ${USAGE_SUMS} FROM usage_records WHERE ${where}
           GROUP BY ${column} ORDER BY ${column} NULLS LAST`,
  };
}

function turnCounts(groupBy: UsageGroupBy, allUsers: boolean) {
  const where = allUsers ? 'at >= $1 AND at < $2' : 'user_id = $3 AND at >= $1 AND at < $2';
  return {
    name: `memgate_usage_turns_by_${groupBy}${allUsers ? '_all' : ''}`,
    text: usageTurnsSql(USAGE_GROUP_COLUMNS[groupBy], where),
  };
}

/** The usage records of the PostgreSQL store. */
export class PostgresUsage {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async record(records: UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    const messages = { conflict: 'A usage record with this id already exists.', missing: 'The user does not exist.' };
    await translateConstraints(messages, () => this.#pool.query(usageInsert(1), usageColumns(records)));
  }

  async summarise(query: UsageQuery): Promise<UsageGroup[]> {
    const all = query.userId === null;
    const values = all ? [query.from, query.to] : [query.from, query.to, query.userId];
    const { rows } = await this.#pool.query<UsageGroupRow>({ ...summary(query.groupBy, all), values });
    return rows.map(toUsageGroup);
  }

  /** One round trip: the groups' turns and the range's total in one statement. */
  async countTurns(query: UsageQuery): Promise<UsageTurnCounts> {
    const all = query.userId === null;
    const values = all ? [query.from, query.to] : [query.from, query.to, query.userId];
    const { rows } = await this.#pool.query<UsageTurnsRow>({ ...turnCounts(query.groupBy, all), values });
    return toUsageTurnCounts(rows);
  }
}
