/**
 * Sequential added latency per turn, measured the way public gateway benchmarks measure overhead:
 * a localhost mock upstream, one request at a time, gateway and direct calls interleaved, the median
 * of round medians. Like for like: each direct call replays the very body memgate sent upstream for
 * the turn just before it, so the mock does the same work on both paths and the difference is what
 * memgate adds (auth, agent lookup, two durable commits, prompt assembly, the upstream client).
 */
import { type KeepAliveClient, keepAliveClient } from './keep-alive-client.ts';
import { median, percentile, table } from './latency.ts';
import { type ProcessStack, startProcessStack } from './process-stack.ts';
import type { LastUpstreamRequest } from './processes/upstream-main.ts';
import { writeResults } from './results-file.ts';

const ROUNDS = Number(process.env['BENCH_SEQ_ROUNDS'] ?? 30);
const REQUESTS_PER_ROUND = 20;
const WARMUP_TURNS = 200;
const PATH = '/v1/chat/completions';

type Mode = 'non-streaming' | 'streaming';
type Store = 'sqlite' | 'postgres';

interface RoundOptions {
  mode: Mode;
  agent: string;
  gateway: KeepAliveClient;
  upstream: KeepAliveClient;
  upstreamBodyOf: (message: string) => Promise<string>;
}

/** One mode's result, as written to results/sequential.json. Times in ms. */
export interface SequentialRun {
  /** The store memgate ran on (results written before PostgreSQL runs existed have none: SQLite). */
  store?: Store;
  mode: Mode;
  /** Median over rounds of (round median of memgate − round median of direct). */
  addedP50: number;
  /** 99th percentile over every measured request of memgate_i − direct_i. */
  addedP99: number;
  /** Median over rounds of memgate's round median. */
  memgateMedian: number;
  /** Median over rounds of the direct calls' round median. */
  directMedian: number;
  /** memgate's process CPU time over the measured rounds, per turn. */
  memgateCpuMsPerTurn: number;
  /** Median size of the upstream request body memgate sent, which the direct call replayed. */
  upstreamBodyBytes: number;
}

/** The whole result, as written to results/sequential.json. */
export interface SequentialResults {
  rounds: number;
  requestsPerRound: number;
  warmupTurns: number;
  runs: SequentialRun[];
}

/** The timings of one round: memgate_i and direct_i for the same turn i. */
interface Round {
  memgate: number[];
  direct: number[];
  bodyBytes: number[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** `--cpu-prof` on memgate (bench:profile summarises it); the profiler's own CPU would skew the results. */
const PROFILING = Boolean(process.env['BENCH_CPU_PROF']);

/** The stores measured: SQLite always, PostgreSQL too when DATABASE_URL names a server. */
const STORES: Store[] = process.env['DATABASE_URL'] ? ['sqlite', 'postgres'] : ['sqlite'];

const runs: SequentialRun[] = [];
for (const store of STORES) runs.push(...(await measureStore(store)));
report({ rounds: ROUNDS, requestsPerRound: REQUESTS_PER_ROUND, warmupTurns: WARMUP_TURNS, runs });

/** Both modes on one store, in a three-process stack of its own. */
async function measureStore(store: Store): Promise<SequentialRun[]> {
  const launched = performance.now();
  const stack = await startProcessStack({
    memgateFlags: PROFILING ? ['--cpu-prof', `--cpu-prof-dir=results/profiles/sequential-${store}`] : [],
    memgateEnv: { BENCH_STORE: store },
  });
  console.log(`${store}: processes started in ${((performance.now() - launched) / 1000).toFixed(1)} s`);
  const memgate = keepAliveClient(stack.memgate.ready.url, stack.auth);
  const direct = keepAliveClient(stack.upstream.ready.url);
  const upstreamBodyOf = (message: string) => lastUpstreamBody(stack, message);
  try {
    const runs: SequentialRun[] = [];
    for (const mode of ['non-streaming', 'streaming'] as const) {
      // A fresh agent per round, so every round sees the same window sizes (0 to 19 earlier turns) and
      // rounds stay comparable; all created up front, so agent creation is not in the CPU figure.
      const warmupAgents = await stack.createAgents(Math.ceil(WARMUP_TURNS / REQUESTS_PER_ROUND), `seq-warm-${mode}`);
      const agents = await stack.createAgents(ROUNDS, `seq-${mode}`);
      const started = performance.now();
      for (const agent of warmupAgents)
        await runRound({ mode, agent, gateway: memgate, upstream: direct, upstreamBodyOf });
      const warmedUp = performance.now();
      const cpuBefore = await stack.memgate.cpuMs();
      const rounds: Round[] = [];
      for (const agent of agents) {
        rounds.push(await runRound({ mode, agent, gateway: memgate, upstream: direct, upstreamBodyOf }));
      }
      const cpuAfter = await stack.memgate.cpuMs();
      runs.push(summarise(store, mode, rounds, cpuAfter - cpuBefore));
      const seconds = (from: number, to: number) => ((to - from) / 1000).toFixed(1);
      console.log(
        `${store} ${mode}: warm-up ${seconds(started, warmedUp)} s, ${ROUNDS} rounds ${seconds(warmedUp, performance.now())} s`,
      );
    }
    return runs;
  } finally {
    memgate.close();
    direct.close();
    await stack.stop();
  }
}

/**
 * One round on one agent: per turn, the memgate call, then the same upstream body sent directly.
 * The direct call always comes second: the body it replays exists only once memgate's call has run.
 */
async function runRound({ mode, agent, gateway, upstream, upstreamBodyOf }: RoundOptions) {
  const round: Round = { memgate: [], direct: [], bodyBytes: [] };
  for (let index = 0; index < REQUESTS_PER_ROUND; index++) {
    // A distinct message per turn, so the last upstream request can be checked to be this turn's.
    const message = `Turn ${agent}-${index}: what is on my calendar today?`;
    const body = JSON.stringify({
      model: 'mock-model',
      user: agent,
      stream: mode === 'streaming',
      messages: [{ role: 'user', content: message }],
    });
    let started = performance.now();
    await gateway.post(PATH, body);
    round.memgate.push(performance.now() - started);
    const sent = await upstreamBodyOf(message);
    started = performance.now();
    await upstream.post(PATH, sent);
    round.direct.push(performance.now() - started);
    round.bodyBytes.push(Buffer.byteLength(sent));
  }
  return round;
}

/** The body memgate sent upstream for the turn that carried `message`, checked to be that turn's. */
async function lastUpstreamBody(stack: ProcessStack, message: string): Promise<string> {
  const last = await stack.upstream.request<LastUpstreamRequest | { error: string }>({ type: 'last-request' });
  if ('error' in last) throw new Error(`last-request: ${last.error}`);
  if (!last.body.includes(message)) throw new Error(`the upstream's last request is not the turn "${message}"`);
  // The mock keeps the parsed body; if serialising it again did not give the bytes memgate sent, the
  // direct call would not be like for like.
  if (last.contentLength !== null && Buffer.byteLength(last.body) !== last.contentLength) {
    throw new Error(`replayed body has ${Buffer.byteLength(last.body)} bytes, memgate sent ${last.contentLength}`);
  }
  return last.body;
}

function summarise(store: Store, mode: Mode, rounds: Round[], cpuMs: number): SequentialRun {
  const perRequestAdded = rounds
    .flatMap((round) => round.memgate.map((value, index) => value - round.direct[index]!))
    .sort((a, b) => a - b);
  return {
    store,
    mode,
    addedP50: round2(median(rounds.map((round) => median(round.memgate) - median(round.direct)))),
    addedP99: round2(percentile(perRequestAdded, 0.99)),
    memgateMedian: round2(median(rounds.map((round) => median(round.memgate)))),
    directMedian: round2(median(rounds.map((round) => median(round.direct)))),
    memgateCpuMsPerTurn: Math.round((cpuMs / perRequestAdded.length) * 1000) / 1000,
    upstreamBodyBytes: median(rounds.flatMap((round) => round.bodyBytes)),
  };
}

function report(results: SequentialResults): void {
  const rows = [['store', 'mode', 'added p50', 'added p99', 'memgate p50', 'direct p50', 'CPU ms/turn', 'body bytes']];
  for (const run of results.runs) {
    rows.push([
      run.store ?? 'sqlite',
      run.mode,
      `${run.addedP50} ms`,
      `${run.addedP99} ms`,
      `${run.memgateMedian} ms`,
      `${run.directMedian} ms`,
      String(run.memgateCpuMsPerTurn),
      String(run.upstreamBodyBytes),
    ]);
  }
  console.log(
    `\nsequential: ${results.rounds} rounds × ${results.requestsPerRound} requests, after ${results.warmupTurns} warm-up turns\n`,
  );
  console.log(table(rows));
  // A profiled run's numbers carry the profiler's cost: kept apart from the results the report shows.
  console.log(`written to ${writeResults(PROFILING ? 'sequential-profiled' : 'sequential', { ...results })}`);
}
