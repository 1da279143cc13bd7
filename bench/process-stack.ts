import { type BenchChild, startChild } from './child-process.ts';
import type { FloorReady } from './processes/floor-main.ts';
import type { MemgateReady, MemorySnapshot } from './processes/memgate-main.ts';
import type { UpstreamPace, UpstreamReady } from './processes/upstream-main.ts';

/** The three servers of a side-by-side run, each in its own process. */
export interface ProcessStack {
  upstream: BenchChild<UpstreamReady>;
  floor: BenchChild<FloorReady> | null;
  memgate: BenchChild<MemgateReady>;
  /** `Authorization` header for memgate. */
  auth: { authorization: string };
  /** Creates agents through POST /v1/agents and returns their ids. */
  createAgents(count: number, prefix: string): Promise<string[]>;
  /** Switches the upstream between echo and a fixed reply at a known pace. */
  pace(pace: UpstreamPace): Promise<void>;
  /** memgate's memory after a full GC. */
  memory(): Promise<MemorySnapshot>;
  stop(): Promise<void>;
}

/** Options of {@link startProcessStack}. */
export interface ProcessStackOptions {
  /** Start the bare proxy too (the overhead run needs it, others do not). */
  floor?: boolean;
  /** Node flags of the memgate process, e.g. `--cpu-prof` or `--expose-gc`. */
  memgateFlags?: string[];
  /** Extra environment of the memgate process, e.g. `BENCH_STORE=postgres`. */
  memgateEnv?: Record<string, string>;
}

/** Starts the mock upstream, optionally the bare proxy, and memgate, in three processes. */
export async function startProcessStack(options: ProcessStackOptions = {}): Promise<ProcessStack> {
  const upstream = await startChild<UpstreamReady>('processes/upstream-main.ts');
  const env = { BENCH_UPSTREAM_URL: upstream.ready.url };
  const floor = options.floor ? await startChild<FloorReady>('processes/floor-main.ts', { env }) : null;
  const memgate = await startChild<MemgateReady>('processes/memgate-main.ts', {
    env: { ...env, ...options.memgateEnv },
    nodeFlags: ['--expose-gc', ...(options.memgateFlags ?? [])],
  });
  const auth = { authorization: `Bearer ${memgate.ready.apiKey}` };
  return {
    upstream,
    floor,
    memgate,
    auth,
    async createAgents(count, prefix) {
      const ids: string[] = [];
      for (let index = 0; index < count; index++) {
        const response = await fetch(`${memgate.ready.url}/v1/agents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth },
          // A window large enough that no run triggers summarisation: the load measures turns, not summaries.
          body: JSON.stringify({ name: `${prefix}-${index}`, context_window: 1_000_000 }),
        });
        const body = (await response.json()) as { id?: string };
        if (!response.ok || !body.id) throw new Error(`creating an agent answered ${response.status}`);
        ids.push(body.id);
      }
      return ids;
    },
    async pace(pace) {
      await upstream.request({ type: 'configure', pace });
    },
    memory: () => memgate.request<MemorySnapshot>({ type: 'memory' }),
    async stop() {
      await memgate.stop();
      await floor?.stop();
      await upstream.stop();
    },
  };
}
