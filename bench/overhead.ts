/**
 * What does memgate add on top of the model? The same load — 16 connections, requests spread over
 * 64 agents, non-streaming then streaming — sent (a) straight to the mock upstream, (b) through a
 * bare node:http proxy (the floor any Node gateway pays) and (c) through memgate's REST endpoint,
 * where each request is a real agent turn persisted in SQLite. Each server has its own process.
 */
import { table } from './latency.ts';
import { type LoadResult, runLoad } from './load.ts';
import { startProcessStack } from './process-stack.ts';
import { writeResults } from './results-file.ts';

const CONNECTIONS = 16;
const AGENTS = 64;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const WARMUP_SECONDS = 2;
const PATH = '/v1/chat/completions';

/** One measured run. */
export interface OverheadRun extends LoadResult {
  mode: 'non-streaming' | 'streaming';
  target: 'direct' | 'floor' | 'memgate';
  /** CPU time per request of the process in front of the upstream (the upstream's own for `direct`). */
  cpuMsPerRequest: number;
  /** CPU time per request of the upstream process. */
  upstreamCpuMsPerRequest: number;
}

/** The whole overhead result, as written to results/overhead.json. */
export interface OverheadResults {
  connections: number;
  agents: number;
  seconds: number;
  runs: OverheadRun[];
}

const stack = await startProcessStack({
  floor: true,
  memgateFlags: process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', '--cpu-prof-dir=results/profiles'] : [],
});
try {
  const targets = {
    direct: { url: stack.upstream.ready.url.replace(/\/v1$/, ''), headers: {}, process: stack.upstream },
    floor: { url: stack.floor!.ready.url, headers: {}, process: stack.floor! },
    memgate: { url: stack.memgate.ready.url, headers: stack.auth, process: stack.memgate },
  };
  const runs: OverheadRun[] = [];
  for (const mode of ['non-streaming', 'streaming'] as const) {
    // Fresh agents per mode, so both start from the same short history.
    const agents = await stack.createAgents(AGENTS, mode);
    const body = (index: number) =>
      JSON.stringify({
        model: 'mock-model',
        user: agents[index % AGENTS],
        stream: mode === 'streaming',
        messages: [{ role: 'user', content: `Request ${index}: what is on my calendar today?` }],
      });
    for (const target of ['direct', 'floor', 'memgate'] as const) {
      const { url, headers, process: gateway } = targets[target];
      const options = { url, headers, path: PATH, body, connections: CONNECTIONS };
      await runLoad({ ...options, durationSeconds: WARMUP_SECONDS });
      const cpuBefore = [await gateway.cpuMs(), await stack.upstream.cpuMs()] as const;
      const result = await runLoad({ ...options, durationSeconds: SECONDS });
      const cpuAfter = [await gateway.cpuMs(), await stack.upstream.cpuMs()] as const;
      if (result.failures > 0) throw new Error(`${mode} ${target}: ${result.failures} failed requests`);
      // Requests still in flight at the end used CPU too; over thousands of requests that is noise.
      const perRequest = (before: number, after: number) =>
        Math.round(((after - before) / result.requests) * 1000) / 1000;
      runs.push({
        mode,
        target,
        ...result,
        cpuMsPerRequest: perRequest(cpuBefore[0], cpuAfter[0]),
        upstreamCpuMsPerRequest: perRequest(cpuBefore[1], cpuAfter[1]),
      });
      console.log(`${mode.padEnd(13)} ${target.padEnd(7)} ${result.throughput} req/s, p50 ${result.p50} ms`);
    }
  }
  report({ connections: CONNECTIONS, agents: AGENTS, seconds: SECONDS, runs });
} finally {
  await stack.stop();
}

function report(results: OverheadResults): void {
  const rows = [['mode', 'path', 'req/s', 'p50 ms', 'p99 ms', 'x floor req/s', 'p50 over floor', 'CPU ms/req']];
  for (const run of results.runs) {
    const floor = results.runs.find((other) => other.mode === run.mode && other.target === 'floor')!;
    rows.push([
      run.mode,
      run.target,
      String(run.throughput),
      String(run.p50),
      String(run.p99),
      (run.throughput / floor.throughput).toFixed(2),
      `${(run.p50 - floor.p50).toFixed(2)} ms`,
      String(run.cpuMsPerRequest),
    ]);
  }
  console.log(`\noverhead: ${results.connections} connections, ${results.agents} agents, ${results.seconds} s each\n`);
  console.log(table(rows));
  console.log(`written to ${writeResults('overhead', { ...results })}`);
}
