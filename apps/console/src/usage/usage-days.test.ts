import { describe, expect, it } from 'vitest';
import { fillDays, niceMax, periodOf } from './usage-days.ts';

describe('periodOf', () => {
  it('covers the last N UTC days through today, to exclusive', () => {
    const period = periodOf(7, new Date('2026-03-02T23:30:00Z'));
    expect(period.days).toEqual([
      '2026-02-24',
      '2026-02-25',
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(period.from).toBe('2026-02-24');
    expect(period.to).toBe('2026-03-03');
  });
});

describe('fillDays', () => {
  it('puts each group on its day and zeros on days without one', () => {
    const filled = fillDays(
      ['2026-03-01', '2026-03-02'],
      [
        { key: '2026-03-02', turns: 3, calls: 5, failedCalls: 1, totalTokens: 900, costUsd: 0.01 },
        { key: '2026-02-01', turns: 9 },
      ],
    );
    expect(filled).toEqual([
      { day: '2026-03-01', turns: 0, calls: 0, failedCalls: 0, totalTokens: 0, costUsd: 0 },
      { day: '2026-03-02', turns: 3, calls: 5, failedCalls: 1, totalTokens: 900, costUsd: 0.01 },
    ]);
  });
});

describe('niceMax', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(17)).toBe(20);
    expect(niceMax(5000)).toBe(5000);
    expect(niceMax(5001)).toBe(10000);
    expect(niceMax(0.3)).toBe(0.5);
  });
});
