/**
 * The lean-hot-path tables of the report (issue 14): its goals with the numbers from before the
 * issue and from this run, memgate beside the published figures of stateless gateways, and where
 * the CPU of a turn goes (from a `--cpu-prof` profile, see report-profile.ts).
 */
import type { ProfileSummary } from './report-profile.ts';
import type { Results } from './report-tables.ts';
import type { SequentialRun } from './sequential.ts';

/**
 * The numbers before issue 14, from the `pnpm bench` run of 2026-12-02 at 07:48–07:55 UTC (Node
 * 24.21.0, `node:sqlite`, synchronous=FULL), as BENCHMARKS.md reported them when the issue was filed.
 */
const BEFORE = {
  date: '2026-12-02 07:48 UTC',
  addedP50: 'non-streaming +5.38 ms, streaming +4.1 ms',
  addedP99: 'non-streaming +22.93 ms, streaming +16.82 ms',
  postgresP50: 'not measured',
  cpu: 'non-streaming 5.282 ms, streaming 3.796 ms (sequential); 3.26 / 3.51 ms under load',
  throughput: 'non-streaming 0.05×, streaming 0.08×',
  ttft: 'rest-sse +7.18 ms, graphql-sse +9.67 ms, graphql-ws +5.11 ms, ws-channel +3.95 ms',
  history: '0.94×',
  connection: '6.47 KB RSS, 5.07 KB heap+external',
};

/** Stateless gateways' own published sequential overhead, as issue 14 quotes them. */
const PUBLISHED = [
  { gateway: 'Bifrost (Go)', added: 0.44 },
  { gateway: "Portkey's open-source gateway (TypeScript)", added: 2.37 },
  { gateway: 'LiteLLM (Python)', added: 4.34 },
];

const MET = '✅ met';
const MISSED = '❌ missed';
const status = (met: boolean) => (met ? MET : MISSED);
const signed = (value: number) => `${value >= 0 ? '+' : ''}${value} ms`;

function sequentialRuns(results: Results, store: 'sqlite' | 'postgres'): SequentialRun[] {
  return (results.sequential?.runs ?? []).filter((run) => (run.store ?? 'sqlite') === store);
}

/** `, load average 4.1, 5.2, 5.0` for a result file that recorded it. */
export function loadNote(result: { loadAverage?: number[] } | null): string {
  return result?.loadAverage ? `, load average ${result.loadAverage.join(', ')}` : '';
}

/** Goal, before issue 14, this run (dated by its sequential run), met or missed. */
export function hotPathGoalRows(results: Results): string[] {
  const now = `now (${results.sequential?.date ?? 'no sequential run'}${loadNote(results.sequential)})`;
  const rows = [`| goal | before (${BEFORE.date}) | ${now} | status |`, '| --- | --- | --- | --- |'];
  const notRun = (what: string) => `not run (${what})`;
  const perMode = (runs: SequentialRun[], pick: (run: SequentialRun) => string) =>
    runs.map((run) => `${run.mode} ${pick(run)}`).join(', ');
  const sqlite = sequentialRuns(results, 'sqlite');
  const postgres = sequentialRuns(results, 'postgres');
  const row = (goal: string, before: string, now: string, met: boolean | null) =>
    rows.push(`| ${goal} | ${before} | ${now} | ${met === null ? '—' : status(met)} |`);
  if (sqlite.length > 0) {
    row(
      'sequential added latency per turn, SQLite, durable: p50 ≤ 1.0 ms',
      BEFORE.addedP50,
      perMode(sqlite, (run) => signed(run.addedP50)),
      sqlite.every((run) => run.addedP50 <= 1),
    );
    row(
      'sequential added latency per turn, SQLite: p99 ≤ 3 ms',
      BEFORE.addedP99,
      perMode(sqlite, (run) => signed(run.addedP99)),
      sqlite.every((run) => run.addedP99 <= 3),
    );
  } else {
    row(
      'sequential added latency per turn, SQLite: p50 ≤ 1.0 ms, p99 ≤ 3 ms',
      BEFORE.addedP50,
      notRun('bench:sequential'),
      null,
    );
  }
  row(
    'sequential added latency per turn, PostgreSQL: p50 ≤ 2.0 ms',
    BEFORE.postgresP50,
    postgres.length > 0 ? perMode(postgres, (run) => signed(run.addedP50)) : notRun('DATABASE_URL unset'),
    postgres.length > 0 ? postgres.every((run) => run.addedP50 <= 2) : null,
  );
  row(
    "CPU per turn in memgate's process ≤ 1.0 ms",
    BEFORE.cpu,
    sqlite.length > 0
      ? `${perMode(sqlite, (run) => `${run.memgateCpuMsPerTurn} ms`)} (sequential, SQLite)`
      : notRun('bench:sequential'),
    sqlite.length > 0 ? sqlite.every((run) => run.memgateCpuMsPerTurn <= 1) : null,
  );
  const { overhead, streaming, history, connections } = results;
  if (overhead) {
    const ratios = (['non-streaming', 'streaming'] as const).map((mode) => {
      const find = (target: string) =>
        overhead.runs.find((run) => run.mode === mode && run.target === target)?.throughput ?? Number.NaN;
      return { mode, ratio: find('memgate') / find('floor') };
    });
    row(
      'saturated throughput (16 connections) ≥ 0.3 × the bare-proxy floor',
      BEFORE.throughput,
      ratios.map(({ mode, ratio }) => `${mode} ${ratio.toFixed(2)}×`).join(', '),
      ratios.every(({ ratio }) => ratio >= 0.3),
    );
  }
  if (streaming) {
    const memgate = streaming.protocols.filter((protocol) => protocol.protocol !== 'upstream');
    row(
      'time to first token added ≤ 1 ms on every protocol',
      BEFORE.ttft,
      memgate.map((protocol) => `${protocol.protocol} ${signed(protocol.ttftAdded)}`).join(', '),
      memgate.every((protocol) => protocol.ttftAdded <= 1),
    );
  }
  const plain = history?.results[0];
  if (history && plain) {
    row(
      'nothing worse: turn at 10,000 messages ≤ 1.2 × at 10',
      BEFORE.history,
      `${plain.ratio}×`,
      plain.ratio <= history.goalRatio,
    );
  }
  if (connections) {
    const { rssKb, heapAndExternalKb } = connections.perConnection;
    row(
      'nothing worse: ≤ 20 KB per idle WebSocket connection',
      BEFORE.connection,
      `${rssKb} KB RSS, ${heapAndExternalKb} KB heap+external`,
      Math.max(rssKb, heapAndExternalKb) <= 20,
    );
  }
  return rows;
}

/** memgate's sequential added latency beside the stateless gateways' published figures. */
export function publishedComparisonRows(results: Results): string[] {
  const rows = [
    '| gateway | stores the turn durably | added per request, p50 | added p99 | source |',
    '| --- | --- | ---: | ---: | --- |',
  ];
  for (const store of ['sqlite', 'postgres'] as const) {
    for (const run of sequentialRuns(results, store)) {
      rows.push(
        `| memgate, ${store === 'sqlite' ? 'SQLite (synchronous=FULL)' : 'PostgreSQL'}, ${run.mode} | yes | ${signed(run.addedP50)} | ${signed(run.addedP99)} | measured here: section 5, ${results.sequential?.date}${loadNote(results.sequential)} |`,
      );
    }
  }
  for (const { gateway, added } of PUBLISHED) {
    rows.push(
      `| ${gateway} | no (stateless) | +${added} ms | — | the gateway's own published benchmark, as quoted in issue 14: as published, not re-run here |`,
    );
  }
  return rows;
}

/** Shares of memgate's CPU by layer, with what a share is of a turn's CPU in this run. */
export function profileRows(profile: ProfileSummary, results: Results): string[] {
  const perTurn = sequentialRuns(results, 'sqlite').find((run) => run.mode === 'non-streaming')?.memgateCpuMsPerTurn;
  const rows = [
    `| layer | share of busy CPU | ≈ ms of a turn${perTurn ? ` (of ${perTurn} ms, sequential non-streaming)` : ''} |`,
    '| --- | ---: | ---: |',
  ];
  for (const { layer, share } of profile.layers) {
    rows.push(`| ${layer} | ${share} % | ${perTurn ? ((share / 100) * perTurn).toFixed(2) : '—'} |`);
  }
  rows.push('', '| function (self time) | share |', '| --- | ---: |');
  for (const { name, share } of profile.top) rows.push(`| \`${name}\` | ${share} % |`);
  return rows;
}
