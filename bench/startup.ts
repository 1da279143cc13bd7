/**
 * Startup time and idle memory of memgate as `pnpm start` runs it. The root package.json's `start`
 * script is run the way pnpm runs scripts (`sh -c`, with the root node_modules/.bin on PATH) but
 * without pnpm itself, so pnpm's own startup is not counted. Each start gets a fresh data directory
 * (a first start: migrations, the default user and its key) and a free port. We time from spawn
 * until GET /healthz answers 200, wait idle, read the server's RSS from /proc, and stop it with
 * SIGTERM. The `prestart` script (the build) runs once before the timed starts. Linux only.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, table } from './latency.ts';
import { hasExited, type ProcessInfo, processTree } from './process-tree.ts';
import { writeResults } from './results-file.ts';
import { freePort, healthy, prestartCommand, ROOT, scriptEnv, startCommand, startEnv } from './start-command.ts';

const STARTS = Number(process.env['BENCH_STARTS'] ?? 5);
const POLL_MS = 5;
const IDLE_MS = 2000;
const HEALTHZ_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** One start, as written to results/startup.json. */
export interface StartupRun {
  /** From spawn until GET /healthz first answered 200. */
  healthzMs: number;
  /** RSS of the server's own Node process (the largest `node` of the tree) after IDLE_MS idle. */
  serverRssMib: number;
  /** RSS of every process the start command runs (the shell, a launcher if any, the server), summed. */
  treeRssMib: number;
  /** From SIGTERM until every process of the tree had exited. */
  stopMs: number;
  /** The tree at the RSS reading, parent first. */
  processes: { command: string; rssMib: number }[];
}

/** The whole result, as written to results/startup.json. */
export interface StartupResults {
  /** The root `start` script that was run. */
  command: string;
  starts: number;
  idleSeconds: number;
  firstHealthzMs: number;
  medianHealthzMs: number;
  medianServerRssMib: number;
  medianTreeRssMib: number;
  medianStopMs: number;
  runs: StartupRun[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/** Sends SIGTERM to the start command's process group and waits until every process of `tree` exited. */
async function stop(child: ChildProcess, tree: ProcessInfo[]): Promise<number> {
  const group = -child.pid!;
  const started = performance.now();
  // The whole group, as a terminal or a supervisor stopping a service would: `sh -c` does not forward
  // signals to its child. A launcher such as tsx's relays a signal only when the server did not get it
  // itself, and the server's shutdown ignores a repeated SIGTERM anyway.
  process.kill(group, 'SIGTERM');
  while (!tree.every((info) => hasExited(info.pid))) {
    if (performance.now() - started > STOP_TIMEOUT_MS) {
      process.kill(group, 'SIGKILL');
      throw new Error(`memgate did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM`);
    }
    await sleep(POLL_MS);
  }
  return performance.now() - started;
}

async function startOnce(command: string): Promise<StartupRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-startup-'));
  try {
    const port = await freePort();
    const started = performance.now();
    // Its own process group (detached), so SIGTERM reaches the shell, any launcher and the server.
    const child = spawn(command, {
      cwd: ROOT,
      env: startEnv(port, dataDir),
      shell: true,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    while (!(await healthy(port))) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`\`${command}\` exited (${child.exitCode ?? child.signalCode}) before /healthz: ${stderr}`);
      }
      if (performance.now() - started > HEALTHZ_TIMEOUT_MS) {
        process.kill(-child.pid!, 'SIGKILL');
        throw new Error(`no /healthz within ${HEALTHZ_TIMEOUT_MS} ms: ${stderr}`);
      }
      await sleep(POLL_MS);
    }
    const healthzMs = performance.now() - started;
    await sleep(IDLE_MS);
    // A launcher (tsx's, when `start` ran through it) spawns the real server as a second node process:
    // the server is the node descendant with the largest RSS. A launcher's RSS is in the tree total.
    const tree = processTree(child.pid!);
    const nodes = tree.filter((info) => info.executable === 'node');
    const server = nodes.reduce<ProcessInfo | null>((max, info) => (max && max.rssKb >= info.rssKb ? max : info), null);
    if (!server) throw new Error(`no node process under \`${command}\` (pid ${child.pid})`);
    const stopMs = await stop(child, tree);
    return {
      healthzMs: Math.round(healthzMs),
      serverRssMib: mib(server.rssKb),
      treeRssMib: mib(tree.reduce((sum, info) => sum + info.rssKb, 0)),
      stopMs: Math.round(stopMs),
      processes: tree.map((info) => ({ command: info.command, rssMib: mib(info.rssKb) })),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const command = startCommand();
const prestart = prestartCommand();
if (prestart) {
  console.log(`prestart (once, not timed): ${prestart}`);
  execSync(prestart, { cwd: ROOT, env: scriptEnv(), stdio: 'inherit' });
}
const runs: StartupRun[] = [];
for (let start = 0; start < STARTS; start++) {
  const run = await startOnce(command);
  console.log(`start ${start + 1}: /healthz after ${run.healthzMs} ms, server RSS ${run.serverRssMib} MiB`);
  runs.push(run);
}
const results: StartupResults = {
  command,
  starts: STARTS,
  idleSeconds: IDLE_MS / 1000,
  firstHealthzMs: runs[0]!.healthzMs,
  medianHealthzMs: median(runs.map((run) => run.healthzMs)),
  medianServerRssMib: median(runs.map((run) => run.serverRssMib)),
  medianTreeRssMib: median(runs.map((run) => run.treeRssMib)),
  medianStopMs: median(runs.map((run) => run.stopMs)),
  runs,
};
console.log(`\nstartup: \`${command}\`, ${STARTS} starts, each with a fresh data directory\n`);
console.log(
  table([
    ['what', 'value'],
    ['time to /healthz, median', `${results.medianHealthzMs} ms`],
    ['time to /healthz, first start', `${results.firstHealthzMs} ms`],
    [`server RSS after ${results.idleSeconds} s idle, median`, `${results.medianServerRssMib} MiB`],
    ['all processes of the command, median', `${results.medianTreeRssMib} MiB`],
    ['SIGTERM to exit, median', `${results.medianStopMs} ms`],
  ]),
);
console.log(`written to ${writeResults('startup', { ...results })}`);
