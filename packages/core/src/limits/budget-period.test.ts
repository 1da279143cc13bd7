import { describe, expect, it } from 'vitest';
import { budgetReached, nextPeriodStart, periodStart } from './budget-period.ts';

describe('budget periods', () => {
  const at = Date.parse('2026-12-31T23:59:59.999Z');

  it('start at 00:00 UTC of the day or of the month, and end where the next one starts', () => {
    expect(periodStart('day', at)).toBe('2026-12-31T00:00:00.000Z');
    expect(periodStart('month', at)).toBe('2026-12-01T00:00:00.000Z');
    expect(new Date(nextPeriodStart('day', at)).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(new Date(nextPeriodStart('month', at)).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(new Date(nextPeriodStart('month', Date.parse('2026-02-10T12:00:00Z'))).toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
  });

  it('are reached once the spend in their unit meets the cap', () => {
    expect(budgetReached({ usd: 1, period: 'day' }, { usd: 0.99, tokens: 10 ** 9 })).toBe(false);
    expect(budgetReached({ usd: 1, period: 'day' }, { usd: 1, tokens: 0 })).toBe(true);
    expect(budgetReached({ tokens: 100, period: 'month' }, { usd: 50, tokens: 99 })).toBe(false);
    expect(budgetReached({ tokens: 100, period: 'month' }, { usd: 0, tokens: 100 })).toBe(true);
  });
});
