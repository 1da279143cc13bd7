import type { CallerLimits, UsageReport } from '@memgate/core';

type Totals = UsageReport['totals'];

function totalsFields(totals: Totals) {
  return {
    calls: totals.calls,
    turns: totals.turns,
    failedCalls: totals.failed_calls,
    promptTokens: totals.prompt_tokens,
    cachedTokens: totals.cached_tokens,
    completionTokens: totals.completion_tokens,
    totalTokens: totals.total_tokens,
    costUsd: totals.cost_usd,
  };
}

/** A usage report (the REST resource) in GraphQL's camelCase. */
export function usageReportFields(report: UsageReport) {
  return {
    groupBy: report.group_by,
    from: report.from,
    to: report.to,
    groups: report.data.map((group) => ({ key: group.key, ...totalsFields(group) })),
    totals: totalsFields(report.totals),
  };
}

type EffectiveLimits = Omit<CallerLimits['user'], 'user_id'>;

function effectiveLimitsFields(effective: EffectiveLimits) {
  const { limits, consumption } = effective;
  return {
    source: effective.source,
    limits: {
      rpm: limits.rpm,
      tpm: limits.tpm,
      maxConcurrentTurns: limits.max_concurrent_turns,
      budget: limits.budget && {
        usd: limits.budget.usd ?? null,
        tokens: limits.budget.tokens ?? null,
        period: limits.budget.period,
      },
      exempt: limits.exempt,
    },
    consumption: {
      requestsLastMinute: consumption.requests_last_minute,
      tokensLastMinute: consumption.tokens_last_minute,
      concurrentTurns: consumption.concurrent_turns,
      budgetSpent: consumption.budget_spent && {
        usd: consumption.budget_spent.usd,
        tokens: consumption.budget_spent.tokens,
        periodStart: consumption.budget_spent.period_start,
      },
    },
  };
}

/** The GraphQL `CallerLimits` for the core's `GET /v1/limits` answer. */
export function callerLimitsFields(limits: CallerLimits) {
  return {
    exempt: limits.exempt,
    userId: limits.user.user_id,
    user: effectiveLimitsFields(limits.user),
    keyId: limits.key?.key_id ?? null,
    key: limits.key && effectiveLimitsFields(limits.key),
  };
}
