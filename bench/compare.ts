/**
 * A before/after table from two sets of results: `tsx compare.ts <before-dir> <after-dir>`, each a
 * results directory that `pnpm bench` (and optionally `bench:install`) wrote, for example one from a
 * clone at the old commit and one from this checkout. Prints Markdown for BENCHMARKS.md, so that a
 * change's before/after numbers come straight from the two runs.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InstallResults } from './install-time.ts';
import type { OverheadResults } from './overhead.ts';
import type { SequentialResults } from './sequential.ts';
import type { StartupResults } from './startup.ts';
import type { StreamingResults } from './streaming.ts';

type Stamped<T> = T & { date: string; node: string };

interface ResultSet {
  install: Stamped<InstallResults> | null;
  overhead: Stamped<OverheadResults> | null;
  sequential: Stamped<SequentialResults> | null;
  startup: Stamped<StartupResults> | null;
  streaming: Stamped<StreamingResults> | null;
}

function read<T>(directory: string, name: string): T | null {
  try {
    return JSON.parse(readFileSync(join(directory, `${name}.json`), 'utf8')) as T;
  } catch {
    return null;
  }
}

function load(directory: string): ResultSet {
  const absolute = resolve(directory);
  return {
    install: read(absolute, 'install'),
    overhead: read(absolute, 'overhead'),
    sequential: read(absolute, 'sequential'),
    startup: read(absolute, 'startup'),
    streaming: read(absolute, 'streaming'),
  };
}

/** One row: a label and how to read its value from a result set (null when that benchmark did not run). */
type Row = [label: string, value: (set: ResultSet) => string | number | null | undefined];

const overheadRun = (set: ResultSet, mode: 'non-streaming' | 'streaming') =>
  set.overhead?.runs.find((run) => run.mode === mode && run.target === 'memgate');
const sequentialRun = (set: ResultSet, mode: 'non-streaming' | 'streaming') =>
  set.sequential?.runs.find((run) => run.mode === mode);
const ms = (value: number | undefined) => (value === undefined ? null : `${value} ms`);

const ROWS: Row[] = [
  ['Node.js', (set) => set.overhead?.node ?? set.startup?.node],
  ['install on a fresh clone, empty pnpm store, median', (set) => set.install && `${set.install.cold.medianSeconds} s`],
  ['install on a fresh clone, warm pnpm store, median', (set) => set.install && `${set.install.warm.medianSeconds} s`],
  ['time to `/healthz` (`pnpm start` command, fresh data dir), median', (set) => ms(set.startup?.medianHealthzMs)],
  ['RSS of the server process, idle', (set) => set.startup && `${set.startup.medianServerRssMib} MiB`],
  ['CPU per turn, sequential non-streaming', (set) => ms(sequentialRun(set, 'non-streaming')?.memgateCpuMsPerTurn)],
  ['CPU per turn, under load non-streaming', (set) => ms(overheadRun(set, 'non-streaming')?.cpuMsPerRequest)],
  ['CPU per turn, under load streaming', (set) => ms(overheadRun(set, 'streaming')?.cpuMsPerRequest)],
  ['sequential added latency p50, non-streaming', (set) => ms(sequentialRun(set, 'non-streaming')?.addedP50)],
  ['sequential added latency p99, non-streaming', (set) => ms(sequentialRun(set, 'non-streaming')?.addedP99)],
  ['sequential added latency p50, streaming', (set) => ms(sequentialRun(set, 'streaming')?.addedP50)],
  [
    'throughput, 16 connections, non-streaming',
    (set) => overheadRun(set, 'non-streaming')?.throughput && `${overheadRun(set, 'non-streaming')?.throughput} req/s`,
  ],
  [
    'throughput, 16 connections, streaming',
    (set) => overheadRun(set, 'streaming')?.throughput && `${overheadRun(set, 'streaming')?.throughput} req/s`,
  ],
  [
    'time to first token added, REST SSE',
    (set) => ms(set.streaming?.protocols.find((protocol) => protocol.protocol === 'rest-sse')?.ttftAdded),
  ],
];

const [beforeDirectory, afterDirectory] = process.argv.slice(2);
if (!beforeDirectory || !afterDirectory) {
  console.error('usage: tsx compare.ts <before results dir> <after results dir>');
  process.exit(2);
}
const before = load(beforeDirectory);
const after = load(afterDirectory);
const lines = ['| measure | before | after |', '| --- | ---: | ---: |'];
for (const [label, value] of ROWS) {
  const pair = [value(before), value(after)];
  if (pair.every((cell) => cell === null || cell === undefined)) continue;
  lines.push(`| ${label} | ${pair.map((cell) => cell ?? '—').join(' | ')} |`);
}
console.log(lines.join('\n'));
