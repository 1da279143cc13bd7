import type { UsageGroup, UsageGroupBy, UsageRecord, UsageTurnCounts } from '../domain/types.ts';

/**
 * The usage table's rows and summary SQL, shared by the SQL stores: the same columns, and one
 * grouping expression per `group_by`, so both stores group a day or a missing key alike.
 */

/** A `usage_records` row (migration 10; `turn_id` since migration 15). */
export interface UsageRow {
  id: string;
  at: string;
  user_id: string;
  key_id: string | null;
  agent_id: string | null;
  conversation_id: string | null;
  turn_id: string | null;
  model: string;
  provider: string;
  purpose: string;
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  cost_usd: number | null;
  latency_ms: number;
  outcome: string;
}

/** The columns of a usage row, in the order `toUsageRow` gives them. */
export const USAGE_COLUMNS = [
  'id',
  'at',
  'user_id',
  'key_id',
  'agent_id',
  'conversation_id',
  'turn_id',
  'model',
  'provider',
  'purpose',
  'prompt_tokens',
  'cached_tokens',
  'completion_tokens',
  'cost_usd',
  'latency_ms',
  'outcome',
] as const satisfies readonly (keyof UsageRow)[];

/** The SQL expression a summary groups by (the day is the first ten characters of the UTC `at`). */
export const USAGE_GROUP_COLUMNS: Record<UsageGroupBy, string> = {
  agent: 'agent_id',
  key: 'key_id',
  model: 'model',
  day: 'substr(at, 1, 10)',
};

/** The sums a summary selects per group, named as `UsageGroupRow`'s columns. */
export const USAGE_SUMS =
  "count(*) AS calls, count(*) FILTER (WHERE outcome <> 'ok') AS failed_calls, " +
  'sum(prompt_tokens) AS prompt_tokens, sum(cached_tokens) AS cached_tokens, ' +
  'sum(completion_tokens) AS completion_tokens, coalesce(sum(cost_usd), 0) AS cost_usd';

/** A summary row; drivers may return the sums as strings (bigint) or numbers. */
export interface UsageGroupRow {
  key: string | null;
  calls: number | string;
  failed_calls: number | string;
  prompt_tokens: number | string;
  cached_tokens: number | string;
  completion_tokens: number | string;
  cost_usd: number | string;
}

/** A usage record as its row. */
export function toUsageRow(record: UsageRecord): UsageRow {
  return {
    id: record.id,
    at: record.at,
    user_id: record.userId,
    key_id: record.keyId,
    agent_id: record.agentId,
    conversation_id: record.conversationId,
    turn_id: record.turnId,
    model: record.model,
    provider: record.provider,
    purpose: record.purpose,
    prompt_tokens: record.promptTokens,
    cached_tokens: record.cachedTokens,
    completion_tokens: record.completionTokens,
    cost_usd: record.costUsd,
    latency_ms: Math.round(record.latencyMs),
    outcome: record.outcome,
  };
}

/** A summary row as a `UsageGroup`, its sums as numbers. */
export function toUsageGroup(row: UsageGroupRow): UsageGroup {
  return {
    key: row.key,
    calls: Number(row.calls),
    failedCalls: Number(row.failed_calls),
    promptTokens: Number(row.prompt_tokens),
    cachedTokens: Number(row.cached_tokens),
    completionTokens: Number(row.completion_tokens),
    costUsd: Number(row.cost_usd),
  };
}

/**
 * The turns of a summary in one statement, given its grouping column and its WHERE clause (which
 * each store writes with its own placeholders; PostgreSQL reuses them, SQLite names them): one row
 * per group with a turn (`whole` 0), then the range's total (`whole` 1). Only rows with a turn are
 * read for the groups, and `count(DISTINCT …)` skips nulls, so calls outside a turn count none.
 */
export function usageTurnsSql(column: string, where: string): string {
  return (
    `SELECT 0 AS whole, ${column} AS key, count(DISTINCT turn_id) AS turns FROM usage_records ` +
    `WHERE ${where} AND turn_id IS NOT NULL GROUP BY ${column} ` +
    `UNION ALL SELECT 1 AS whole, NULL AS key, count(DISTINCT turn_id) AS turns FROM usage_records WHERE ${where}`
  );
}

/** A row of `usageTurnsSql`; drivers may return the count as a string (bigint). */
export interface UsageTurnsRow {
  whole: number | string;
  key: string | null;
  turns: number | string;
}

/** The rows of `usageTurnsSql` as `UsageTurnCounts`. */
export function toUsageTurnCounts(rows: UsageTurnsRow[]): UsageTurnCounts {
  const counts: UsageTurnCounts = { groups: [], total: 0 };
  for (const row of rows) {
    if (Number(row.whole) === 1) counts.total = Number(row.turns);
    else counts.groups.push({ key: row.key, turns: Number(row.turns) });
  }
  return counts;
}
