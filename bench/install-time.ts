/**
 * Install time on a fresh clone: clones this repository's HEAD into a temporary directory and times
 * the README's install step there (`npx -y pnpm@10.34.9 install --frozen-lockfile`), BENCH_INSTALLS
 * times (2) each way, each on a new clone:
 * - cold: with a new, empty pnpm store, as on a fresh machine: every package is downloaded and every
 *   build script runs (a native addon compiles);
 * - warm: with the machine's pnpm store, as on a machine that installed once: pnpm links from the
 *   store, and its side-effects cache restores what build scripts produced before.
 * Not part of `pnpm bench`: it needs the registry, and the cold figure depends on its speed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './latency.ts';
import { writeResults } from './results-file.ts';
import { ROOT } from './start-command.ts';

const INSTALLS = Number(process.env['BENCH_INSTALLS'] ?? 2);
const PNPM = ['-y', 'pnpm@10.34.9'];

/** Seconds of each install of one kind, in order, and their median. */
export interface InstallTimes {
  seconds: number[];
  medianSeconds: number;
}

/** The whole result, as written to results/install.json. */
export interface InstallResults {
  commit: string;
  installs: number;
  cold: InstallTimes;
  warm: InstallTimes;
}

const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
const results: InstallResults = { commit, installs: INSTALLS, cold: timeInstalls('cold'), warm: timeInstalls('warm') };
console.log(
  `install: cold ${results.cold.medianSeconds} s, warm ${results.warm.medianSeconds} s (medians); ` +
    `written to ${writeResults('install', { ...results })}`,
);

function timeInstalls(kind: 'cold' | 'warm'): InstallTimes {
  const seconds: number[] = [];
  for (let index = 0; index < INSTALLS; index++) {
    const directory = mkdtempSync(join(tmpdir(), 'memgate-install-'));
    try {
      execFileSync('git', ['clone', '--quiet', ROOT, join(directory, 'clone')]);
      const store = kind === 'cold' ? ['--store-dir', join(directory, 'store')] : [];
      const started = performance.now();
      // The machine's npx, as a newcomer runs it: the project's own Node does not exist before this step.
      execFileSync('npx', [...PNPM, 'install', '--frozen-lockfile', ...store], {
        cwd: join(directory, 'clone'),
        stdio: 'ignore',
        env: { ...process.env, PATH: withoutProjectBins(process.env['PATH'] ?? '') },
      });
      seconds.push(Math.round((performance.now() - started) / 100) / 10);
      console.log(`${kind} install ${index + 1}: ${seconds.at(-1)} s`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  return { seconds, medianSeconds: median(seconds) };
}

/** PATH without the node_modules/.bin directories pnpm put in front of it for this script. */
function withoutProjectBins(path: string): string {
  return path
    .split(':')
    .filter((directory) => !directory.includes('node_modules'))
    .join(':');
}
