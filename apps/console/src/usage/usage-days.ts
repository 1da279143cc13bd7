/** One day of usage as the chart and the table show it (zeros for a day without records). */
export interface DayUsage {
  day: string;
  turns: number;
  calls: number;
  failedCalls: number;
  totalTokens: number;
  costUsd: number;
}

const DAY_MS = 86_400_000;
const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The last `days` UTC days through today: `from` inclusive, `to` (tomorrow) exclusive, as the query takes them. */
export function periodOf(days: number, now: Date = new Date()): { from: string; to: string; days: string[] } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const list = Array.from({ length: days }, (_, index) => isoDay(today - (days - 1 - index) * DAY_MS));
  return { from: list[0] ?? isoDay(today), to: isoDay(today + DAY_MS), days: list };
}

/**
 * Every day of the period in order, with the report's group for it or zeros: a chart with gaps
 * where nothing ran reads truer than bars packed together. Groups outside the period are dropped.
 */
export function fillDays(
  days: readonly string[],
  groups: ReadonlyArray<Partial<DayUsage> & { key?: string | null }>,
): DayUsage[] {
  const byDay = new Map(groups.map((group) => [group.key ?? '', group]));
  return days.map((day) => {
    const group = byDay.get(day);
    return {
      day,
      turns: group?.turns ?? 0,
      calls: group?.calls ?? 0,
      failedCalls: group?.failedCalls ?? 0,
      totalTokens: group?.totalTokens ?? 0,
      costUsd: group?.costUsd ?? 0,
    };
  });
}

/** The top of a chart's axis: the smallest 1, 2 or 5 × 10ⁿ at or above the largest value (1 when all are 0). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}
