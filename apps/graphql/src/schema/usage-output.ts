import type { UsageReport } from '@memgate/core';

type Totals = UsageReport['totals'];

function totalsFields(totals: Totals) {
  return {
    calls: totals.calls,
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
