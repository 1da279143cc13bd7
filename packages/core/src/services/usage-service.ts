import type { Principal, UsageGroup, UsageGroupBy, UsageTotals } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { parseOrThrow } from '../errors/validation.ts';
import type { Store } from '../store/store.ts';
import { adminUsageQuerySchema, type UsageReport, usageQuerySchema } from '../usage/usage-schemas.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The range a query without `from` covers. */
const DEFAULT_DAYS = 30;

/** What the upstream calls cost, summed per agent, key, model or day: for the caller, or for the admin over every user. */
export class UsageService {
  constructor(private readonly store: Store) {}

  /** The caller's usage (every key of their user). 422 for a bad query. */
  async report(principal: Principal, query: unknown): Promise<UsageReport> {
    const parsed = parseOrThrow(usageQuerySchema, query ?? {}, 'query');
    return this.summarise(principal.userId, parsed.group_by, rangeOf(parsed));
  }

  /** Every user's usage, or one user's (`user_id`); the caller has been authorised as admin. */
  async adminReport(query: unknown): Promise<UsageReport> {
    const parsed = parseOrThrow(adminUsageQuerySchema, query ?? {}, 'query');
    const range = rangeOf(parsed);
    if (parsed.user_id !== undefined && !(await this.store.getUser(parsed.user_id))) {
      throw new MemgateError('NOT_FOUND', `User ${parsed.user_id} does not exist.`, {
        param: 'user_id',
        detailCode: 'user_not_found',
      });
    }
    return this.summarise(parsed.user_id ?? null, parsed.group_by, range);
  }

  private async summarise(
    userId: string | null,
    groupBy: UsageGroupBy,
    range: { from: string; to: string },
  ): Promise<UsageReport> {
    const query = { userId, groupBy, ...range };
    const [groups, turns] = await Promise.all([this.store.summariseUsage(query), this.store.countUsageTurns(query)]);
    const turnsOf = new Map(turns.groups.map((group) => [group.key, group.turns]));
    const totals = groups.reduce<UsageTotals>(
      (sum, group) => ({
        calls: sum.calls + group.calls,
        failedCalls: sum.failedCalls + group.failedCalls,
        promptTokens: sum.promptTokens + group.promptTokens,
        cachedTokens: sum.cachedTokens + group.cachedTokens,
        completionTokens: sum.completionTokens + group.completionTokens,
        costUsd: sum.costUsd + group.costUsd,
      }),
      { calls: 0, failedCalls: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0, costUsd: 0 },
    );
    return {
      object: 'usage',
      group_by: groupBy,
      ...range,
      user_id: userId,
      data: groups.map((group) => ({ key: group.key, ...totalsResource(group, turnsOf.get(group.key) ?? 0) })),
      totals: totalsResource(totals, turns.total),
    };
  }
}

function totalsResource(totals: UsageTotals | UsageGroup, turns: number) {
  return {
    calls: totals.calls,
    turns,
    failed_calls: totals.failedCalls,
    prompt_tokens: totals.promptTokens,
    cached_tokens: totals.cachedTokens,
    completion_tokens: totals.completionTokens,
    total_tokens: totals.promptTokens + totals.completionTokens,
    cost_usd: totals.costUsd,
  };
}

/**
 * The query's range as ISO instants: a day-only `from` starts at 00:00 UTC, a day-only `to`
 * includes that day. 422 when it does not end after it starts.
 */
function rangeOf(query: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const to = query.to === undefined ? Date.now() : instantOf(query.to, true);
  const from = query.from === undefined ? to - DEFAULT_DAYS * DAY_MS : instantOf(query.from, false);
  if (from >= to) {
    throw new MemgateError('BAD_USER_INPUT', '`from` must be before `to`.', {
      param: 'from',
      detailCode: 'invalid_range',
    });
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

function instantOf(value: string, endOfDay: boolean): number {
  const time = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return value.length === 10 && endOfDay ? time + DAY_MS : time;
}
