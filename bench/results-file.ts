import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/results, where every benchmark writes its JSON and the report its chart. */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

/**
 * Writes `results/<name>.json` with the date, Node version and the machine's load average at the
 * end of the run (1, 5 and 15 minutes) first: on a shared machine the load explains the spread.
 */
export function writeResults(name: string, payload: Record<string, unknown>): string {
  const file = join(RESULTS_DIR, `${name}.json`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify(
      { date: new Date().toISOString(), node: process.version, loadAverage: loadavg().map(round2), ...payload },
      null,
      2,
    )}\n`,
  );
  return file;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Reads `results/<name>.json`, or null when that benchmark has not run. */
export function readResults<T>(name: string): T | null {
  try {
    return JSON.parse(readFileSync(join(RESULTS_DIR, `${name}.json`), 'utf8')) as T;
  } catch {
    return null;
  }
}
