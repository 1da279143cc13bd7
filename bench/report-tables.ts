import type { ConnectionResults } from './connections.ts';
import type { LatencyStats } from './latency.ts';
import type { OverheadResults, OverheadRun } from './overhead.ts';
import { loadNote } from './report-hot-path.ts';
import type { SequentialResults } from './sequential.ts';
import type { StartupResults } from './startup.ts';
import type { StreamingResults } from './streaming.ts';

/** The shape of results/history-scaling.json. */
export interface HistoryResults {
  turns: number;
  goalRatio: number;
  results: { scenario: string; small: LatencyStats; big: LatencyStats; ratio: number }[];
}

type Dated<T> = T & { date: string; loadAverage?: number[] };

/** Every benchmark's results, null for one that has not run. */
export interface Results {
  overhead: Dated<OverheadResults> | null;
  streaming: Dated<StreamingResults> | null;
  history: Dated<HistoryResults> | null;
  connections: Dated<ConnectionResults> | null;
  sequential: Dated<SequentialResults> | null;
  startup: Dated<StartupResults> | null;
}

const MET = '✅ met';
const MISSED = '❌ missed';
const status = (met: boolean) => (met ? MET : MISSED);

function run(overhead: OverheadResults, mode: OverheadRun['mode'], target: OverheadRun['target']): OverheadRun {
  const found = overhead.runs.find((candidate) => candidate.mode === mode && candidate.target === target);
  if (!found) throw new Error(`overhead.json has no ${mode} ${target} run`);
  return found;
}

/** The goals table: each goal, what this run measured, met or missed. */
export function goalRows({ overhead, streaming, history, connections }: Results): string[] {
  const rows = ['| goal | measured | status |', '| --- | --- | --- |'];
  if (overhead) {
    const modes = ['non-streaming', 'streaming'] as const;
    const ratios = modes.map(
      (mode) => run(overhead, mode, 'memgate').throughput / run(overhead, mode, 'floor').throughput,
    );
    const added = modes.map((mode) => run(overhead, mode, 'memgate').p50 - run(overhead, mode, 'floor').p50);
    rows.push(
      `| memgate throughput ≥ 0.6 × the bare-proxy floor | ${modes.map((mode, index) => `${mode} ${ratios[index]!.toFixed(2)}×`).join(', ')} | ${status(ratios.every((ratio) => ratio >= 0.6))} |`,
      `| p50 added latency ≤ 1 ms over the floor | ${modes.map((mode, index) => `${mode} +${added[index]!.toFixed(2)} ms`).join(', ')} | ${status(added.every((value) => value <= 1))} |`,
    );
  }
  if (streaming) {
    const memgate = streaming.protocols.filter((protocol) => protocol.protocol !== 'upstream');
    const listed = memgate.map((protocol) => `${protocol.protocol} +${protocol.ttftAdded} ms`).join(', ');
    rows.push(
      `| time to first token added ≤ 2 ms on every protocol | ${listed} | ${status(memgate.every((protocol) => protocol.ttftAdded <= 2))} |`,
    );
  }
  if (history) {
    const plain = history.results[0];
    if (plain) {
      rows.push(
        `| turn latency at 10,000 messages ≤ 1.2 × at 10 | ${plain.ratio}× (median ${plain.big.median} ms vs ${plain.small.median} ms) | ${status(plain.ratio <= history.goalRatio)} |`,
      );
    }
  }
  if (connections) {
    const { rssKb, heapAndExternalKb, count } = connections.perConnection;
    rows.push(
      `| ≤ 20 KB per idle WebSocket connection | ${rssKb} KB RSS, ${heapAndExternalKb} KB heap+external (${count.toLocaleString('en')} connections) | ${status(Math.max(rssKb, heapAndExternalKb) <= 20)} |`,
    );
  }
  return rows;
}

/** One table per benchmark. */
export function resultTables(results: Results): string[] {
  const { overhead, streaming, history, connections } = results;
  const lines: string[] = [];
  if (overhead) {
    lines.push(
      '',
      `### 1. Overhead (${overhead.connections} connections, ${overhead.agents} agents, ${overhead.seconds} s per run; ${overhead.date}${loadNote(overhead)})`,
      '',
      '| mode | path | req/s | p50 | p99 | × floor req/s | p50 over floor | CPU ms/request (gateway / upstream) |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const entry of overhead.runs) {
      const floor = run(overhead, entry.mode, 'floor');
      lines.push(
        `| ${entry.mode} | ${entry.target} | ${entry.throughput} | ${entry.p50} ms | ${entry.p99} ms | ${(entry.throughput / floor.throughput).toFixed(2)} | ${(entry.p50 - floor.p50).toFixed(2)} ms | ${entry.target === 'direct' ? '—' : entry.cpuMsPerRequest} / ${entry.upstreamCpuMsPerRequest} |`,
      );
    }
  }
  if (streaming) {
    lines.push(
      '',
      `### 2. Streaming (${streaming.chunkSize}-character pieces, ${streaming.chunkDelayMs} ms apart; ${streaming.rounds} rounds; ${streaming.date}${loadNote(streaming)})`,
      '',
      '| protocol | TTFT median | TTFT p90 | added over upstream | relay chunks/s | relay chars/s |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...streaming.protocols.map(
        (protocol) =>
          `| ${protocol.protocol} | ${protocol.ttftMedian} ms | ${protocol.ttftP90} ms | ${protocol.ttftAdded} ms | ${protocol.chunksPerSecond.toLocaleString('en')} | ${protocol.charactersPerSecond.toLocaleString('en')} |`,
      ),
    );
  }
  if (history) {
    lines.push(
      '',
      `### 3. History scaling (${history.turns} turns each; ${history.date})`,
      '',
      '| scenario | 10 messages: median / p95 | 10,000 messages + 10,000 passages: median / p95 | ratio of medians |',
      '| --- | ---: | ---: | ---: |',
      ...history.results.map(
        (result) =>
          `| ${result.scenario} | ${result.small.median} / ${result.small.p95} ms | ${result.big.median} / ${result.big.p95} ms | ${result.ratio} |`,
      ),
    );
  }
  if (connections) {
    const { perConnection, perAgent } = connections;
    lines.push(
      '',
      `### 4. Memory (${connections.date})`,
      '',
      '| what | count | RSS per item | heap + external per item |',
      '| --- | ---: | ---: | ---: |',
      `| idle, authenticated chat-channel connection | ${perConnection.count.toLocaleString('en')} | ${perConnection.rssKb} KB | ${perConnection.heapAndExternalKb} KB |`,
      `| agent after one turn | ${perAgent.count.toLocaleString('en')} | ${perAgent.rssKb} KB | ${perAgent.heapAndExternalKb} KB |`,
      '',
      `${perConnection.count.toLocaleString('en')} connections opened in ${connections.connectSeconds} s; \`ulimit -n\` was ${connections.openFilesLimit}.`,
    );
  }
  return [...lines, ...sequentialTable(results.sequential), ...startupTable(results.startup)];
}

function sequentialTable(sequential: Results['sequential']): string[] {
  if (!sequential) return [];
  return [
    '',
    `### 5. Sequential added latency per turn (one request at a time; ${sequential.rounds} rounds × ${sequential.requestsPerRound} requests after ${sequential.warmupTurns} warm-up turns; ${sequential.date}${loadNote(sequential)})`,
    '',
    '| store | mode | added p50 (median of round medians) | added p99 (per request) | memgate p50 | direct p50 | memgate CPU ms/turn | upstream body |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...sequential.runs.map(
      (run) =>
        `| ${run.store ?? 'sqlite'} | ${run.mode} | ${run.addedP50} ms | ${run.addedP99} ms | ${run.memgateMedian} ms | ${run.directMedian} ms | ${run.memgateCpuMsPerTurn} | ${run.upstreamBodyBytes.toLocaleString('en')} bytes |`,
    ),
  ];
}

function startupTable(startup: Results['startup']): string[] {
  if (!startup) return [];
  const ms = (value: number) => `${value.toLocaleString('en')} ms`;
  return [
    '',
    `### 6. Startup and idle memory (\`${startup.command}\`, ${startup.starts} starts, each with a fresh data directory; ${startup.date})`,
    '',
    '| what | value |',
    '| --- | ---: |',
    `| time to the first 200 from \`GET /healthz\`, median | ${ms(startup.medianHealthzMs)} |`,
    `| time to the first 200 from \`GET /healthz\`, first start | ${ms(startup.firstHealthzMs)} |`,
    `| RSS of the server process after ${startup.idleSeconds} s idle, median | ${startup.medianServerRssMib} MiB |`,
    `| RSS of every process of the command (shell, any launcher, server), median | ${startup.medianTreeRssMib} MiB |`,
    `| SIGTERM until every process exited, median | ${ms(startup.medianStopMs)} |`,
  ];
}
