import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/** A message a bench child sends its parent: `ready` once, then one `reply` per request. */
export type ChildMessage<Ready> =
  | { type: 'ready'; value: Ready }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'failed'; error: string };

/** A TypeScript entry point running in its own Node process, spoken to over IPC. */
export interface BenchChild<Ready> {
  /** What the child reported when it was ready (its URL, keys, …). */
  ready: Ready;
  process: ChildProcess;
  /** Sends a request and resolves with the child's reply. */
  request<Reply>(message: Record<string, unknown>): Promise<Reply>;
  /** The child's CPU time so far (user + system), in milliseconds. */
  cpuMs(): Promise<number>;
  /** Asks the child to stop cleanly (so `--cpu-prof` can write its profile) and waits for its exit. */
  stop(): Promise<void>;
}

/** Options of {@link startChild}. */
export interface ChildOptions {
  /** Extra Node flags, e.g. `--expose-gc` or `--cpu-prof`. */
  nodeFlags?: string[];
  env?: Record<string, string>;
}

/**
 * Forks `entry` (relative to bench/) under tsx, on the workspace packages' sources (their
 * `@memgate/source` export condition), and waits for its `ready` message. Servers run in children so that the load generator, the upstream and the server under test each have their own
 * event loop, as they would in production, and so that one's memory is not counted in another's.
 */
export async function startChild<Ready>(entry: string, options: ChildOptions = {}): Promise<BenchChild<Ready>> {
  const child = fork(join(BENCH_DIR, entry), [], {
    cwd: BENCH_DIR,
    execArgv: ['--conditions=@memgate/source', '--import', 'tsx', ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (value: unknown) => void>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
    child.on('message', (message: ChildMessage<Ready>) => {
      if (message.type === 'ready') resolve(message.value);
      else if (message.type === 'failed') reject(new Error(`${entry}: ${message.error}`));
      else {
        pending.get(message.id)?.(message.value);
        pending.delete(message.id);
      }
    });
  });
  const request = <Reply>(message: Record<string, unknown>) => {
    const id = nextId++;
    return new Promise<Reply>((resolve) => {
      pending.set(id, (value) => resolve(value as Reply));
      child.send({ ...message, id });
    });
  };
  return {
    ready,
    process: child,
    request,
    async cpuMs() {
      const usage = await request<NodeJS.CpuUsage>({ type: 'cpu' });
      return (usage.user + usage.system) / 1000;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop', id: -1 });
      await exited;
    },
  };
}

/** A request from the parent, as a child receives it. */
export interface ParentRequest {
  type: string;
  id: number;
  [key: string]: unknown;
}

/**
 * The child's side: reports `ready`, answers `cpu` with its `process.cpuUsage()` and other requests
 * with `handle`, and on `stop` runs `close` and exits (a clean exit is what makes `--cpu-prof`
 * write its file).
 */
export function serveParent<Ready>(
  ready: Ready,
  handle: (request: ParentRequest) => Promise<unknown>,
  close: () => Promise<void>,
): void {
  const send = (message: ChildMessage<Ready>) => process.send?.(message);
  process.on('message', (request: ParentRequest) => {
    if (request.type === 'stop') {
      void close().finally(() => process.exit(0));
      return;
    }
    // Every child reports its CPU time, so a run can say what each process spent per request.
    const reply = request.type === 'cpu' ? Promise.resolve(process.cpuUsage()) : handle(request);
    reply.then(
      (value) => send({ type: 'reply', id: request.id, value }),
      (error: unknown) => send({ type: 'reply', id: request.id, value: { error: String(error) } }),
    );
  });
  // The parent going away (Ctrl-C) must not leave servers running.
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
  send({ type: 'ready', value: ready });
}

/** Reports a start-up failure to the parent instead of dying silently. */
export function failToParent(error: unknown): void {
  process.send?.({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
}
