import type { UsageGroupBy } from '@memgate/core';
import {
  USAGE_COLUMNS,
  USAGE_GROUP_COLUMNS,
  USAGE_SUMS,
  type UsageGroupRow,
  type UsageRow,
  type UsageTurnsRow,
  usageTurnsSql,
} from '@memgate/core/store-kit';
import { type Database, prepare, type Statement } from './driver.ts';

type Summaries = Record<UsageGroupBy, Statement<[string, string], UsageGroupRow>>;
type UserSummaries = Record<UsageGroupBy, Statement<[string, string, string], UsageGroupRow>>;
type Range = { from: string; to: string };
type TurnCounts<P extends object> = Record<UsageGroupBy, Statement<P, UsageTurnsRow>>;

/** The statements of the usage records (migrations 10, 15): one insert, a summary per grouping, the turns of a range. */
export function prepareUsageStatements(db: Database) {
  const groupings = Object.entries(USAGE_GROUP_COLUMNS) as [UsageGroupBy, string][];
  const summary = (column: string, where: string) =>
    `SELECT ${column} AS key, ${USAGE_SUMS} FROM usage_records WHERE ${where}
     GROUP BY ${column} ORDER BY ${column} IS NULL, ${column}`;
  return {
    insertUsage: prepare<UsageRow>(
      db,
      `INSERT INTO usage_records (${USAGE_COLUMNS.join(', ')})
       VALUES (${USAGE_COLUMNS.map((column) => `@${column}`).join(', ')})`,
    ),
    /** [from, to] */
    usageOfAll: Object.fromEntries(
      groupings.map(([groupBy, column]) => [groupBy, prepare(db, summary(column, 'at >= ? AND at < ?'))]),
    ) as Summaries,
    /** [user, from, to] */
    usageOfUser: Object.fromEntries(
      groupings.map(([groupBy, column]) => [
        groupBy,
        prepare(db, summary(column, 'user_id = ? AND at >= ? AND at < ?')),
      ]),
    ) as UserSummaries,
    /** { from, to } */
    usageTurnsOfAll: Object.fromEntries(
      groupings.map(([groupBy, column]) => [groupBy, prepare(db, usageTurnsSql(column, 'at >= @from AND at < @to'))]),
    ) as TurnCounts<Range>,
    /** { user, from, to } */
    usageTurnsOfUser: Object.fromEntries(
      groupings.map(([groupBy, column]) => [
        groupBy,
        prepare(db, usageTurnsSql(column, 'user_id = @user AND at >= @from AND at < @to')),
      ]),
    ) as TurnCounts<Range & { user: string }>,
  };
}
