import type { Budget } from './limit-types.ts';

/** The start (ISO 8601, UTC) of the budget period `at` falls in: its day, or its month. */
export function periodStart(period: Budget['period'], at: number): string {
  const date = new Date(at);
  const start =
    period === 'day'
      ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())
      : Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  return new Date(start).toISOString();
}

/** The start of the next period: when a spent budget is whole again. */
export function nextPeriodStart(period: Budget['period'], at: number): number {
  const date = new Date(at);
  return period === 'day'
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1)
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** What a subject has spent in a period. */
export interface Spend {
  usd: number;
  tokens: number;
}

/** Whether `spend` has reached `budget`. */
export function budgetReached(budget: Budget, spend: Spend): boolean {
  return budget.usd !== undefined ? spend.usd >= budget.usd : spend.tokens >= (budget.tokens ?? Infinity);
}
