/** Summary statistics of a series of latencies, in milliseconds. */
export interface LatencyStats {
  runs: number;
  median: number;
  p90: number;
  p95: number;
  mean: number;
  min: number;
}

/** The value below which `share` of the sorted samples fall (nearest rank). */
export function percentile(sorted: number[], share: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** The median of unsorted samples (nearest rank, as in {@link stats}), unrounded. */
export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return percentile(sorted, 0.5);
}

/** Median, percentiles, mean and minimum of a series, rounded to 0.01 ms. */
export function stats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    runs: samples.length,
    median: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
    p95: round(percentile(sorted, 0.95)),
    mean: round(samples.reduce((sum, value) => sum + value, 0) / Math.max(1, samples.length)),
    min: round(sorted[0] ?? Number.NaN),
  };
}

/** Milliseconds one call takes. */
export async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Prints rows as an aligned text table. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}
