/**
 * The SQLite store's turn commits on their own, without HTTP or an upstream: what the event loop
 * pays per commit (its busy time, from `performance.eventLoopUtilization`, and the main thread's
 * CPU), what the process pays (CPU of every thread), and how many commits per second one process
 * gets with 1 and with 16 writers at a time (16: as many turns in flight as `bench:overhead` has
 * connections). Each commit is a user message, as a turn's first step writes; fsync is real (WAL,
 * synchronous=FULL). Each writer yields to the event loop after each commit, as a server does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NewMessage } from '@memgate/core';
import { DEFAULT_AGENT_SETTINGS } from '@memgate/core';
import { SqliteStore } from '@memgate/store-sqlite';
import { median, table } from './latency.ts';
import { writeResults } from './results-file.ts';

const COMMITS = Number(process.env['BENCH_COMMITS'] ?? 2000);
const REPEATS = 3;

interface CommitRun {
  writers: number;
  commitsPerSecond: number;
  eventLoopMsPerCommit: number;
  mainThreadCpuMsPerCommit: number;
  cpuMsPerCommit: number;
}

const dataDir = mkdtempSync(join(tmpdir(), 'memgate-bench-commits-'));
const store = SqliteStore.open(dataDir);
let counter = 0;
const message = (agentId: string): NewMessage => ({
  id: `message-bench-${++counter}`,
  agentId,
  role: 'user',
  content: `Request ${counter}: what is on my calendar today?`,
  toolCalls: null,
  toolCallId: null,
  name: null,
  createdAt: new Date().toISOString(),
  tokenCount: 12,
});

try {
  await store.migrate();
  await store.createUser({ id: 'user-bench', name: 'bench', createdAt: new Date().toISOString() });
  const agents = Array.from({ length: 16 }, (_, index) => `agent-bench-${index}`);
  for (const id of agents) {
    await store.createAgent({
      id,
      userId: 'user-bench',
      name: id,
      model: 'mock-model',
      system: 'system',
      contextWindow: 8192,
      createdAt: new Date().toISOString(),
      memory: [{ id: `block-${id}`, label: 'human', value: '', limit: 2000 }],
      tags: [],
      metadata: null,
      settings: { ...DEFAULT_AGENT_SETTINGS },
    });
  }
  const runs: CommitRun[] = [];
  for (const writers of [1, 16]) {
    const samples: CommitRun[] = [];
    // Warm-up, then interleaved repeats whose median is reported.
    await measure(writers, agents, 200);
    for (let repeat = 0; repeat < REPEATS; repeat++) samples.push(await measure(writers, agents, COMMITS));
    const pick = (field: keyof CommitRun) => Math.round(median(samples.map((sample) => sample[field])) * 1000) / 1000;
    runs.push({
      writers,
      commitsPerSecond: Math.round(pick('commitsPerSecond')),
      eventLoopMsPerCommit: pick('eventLoopMsPerCommit'),
      mainThreadCpuMsPerCommit: pick('mainThreadCpuMsPerCommit'),
      cpuMsPerCommit: pick('cpuMsPerCommit'),
    });
  }
  const rows = [
    ['writers', 'commits/s', 'event loop busy ms/commit', 'main thread CPU ms/commit', 'CPU ms/commit (all threads)'],
  ];
  for (const run of runs) {
    rows.push([
      String(run.writers),
      String(run.commitsPerSecond),
      String(run.eventLoopMsPerCommit),
      String(run.mainThreadCpuMsPerCommit),
      String(run.cpuMsPerCommit),
    ]);
  }
  console.log(`\nstore commits: ${COMMITS} per run, median of ${REPEATS}\n`);
  console.log(table(rows));
  console.log(`written to ${writeResults('store-commits', { commits: COMMITS, repeats: REPEATS, runs })}`);
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}

async function measure(writers: number, agents: string[], commits: number): Promise<CommitRun> {
  let issued = 0;
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const mainBefore = process.threadCpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const agentId = agents[writer % agents.length]!;
      while (issued < commits) {
        issued++;
        await store.commitStep({ agentId, messages: [message(agentId)] });
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const loop = performance.eventLoopUtilization(loopBefore);
  const cpu = process.cpuUsage(cpuBefore);
  const main = process.threadCpuUsage(mainBefore);
  return {
    writers,
    commitsPerSecond: commits / seconds,
    eventLoopMsPerCommit: loop.active / commits,
    mainThreadCpuMsPerCommit: (main.user + main.system) / 1000 / commits,
    cpuMsPerCommit: (cpu.user + cpu.system) / 1000 / commits,
  };
}
