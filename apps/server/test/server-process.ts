import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// Node with tsx's loader, not the tsx CLI: the CLI runs the script in a child process of its own,
// so a SIGKILL sent to it would leave the real server running as an orphan.
const node = process.execPath;
/** `node` arguments that run a TypeScript entry point under tsx's loader, on the workspace packages' sources. */
export const withTsx = (script: string) => ['--conditions=@memgate/source', '--import', 'tsx', script];
/** The entry points of `pnpm start` and `pnpm memgate`, relative to the repository root. */
export const SERVER_ENTRY = 'apps/server/src/main.ts';
export const CLI_ENTRY = 'apps/server/src/cli.ts';
/** The compiled entry points that `pnpm start` and `pnpm memgate` run with plain `node` (after a build). */
export const COMPILED_SERVER_ENTRY = 'apps/server/dist/main.js';
export const COMPILED_CLI_ENTRY = 'apps/server/dist/cli.js';
/** The repository root, where the entry points run. */
export const REPOSITORY_ROOT = root;

export interface ServerProcess {
  url: string;
  /** The key printed on first start, if any. */
  printedKey: string | null;
  output: () => string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Environment of a server started the way a newcomer starts it: offline model, SQLite, nothing else. */
export function newcomerEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: '0',
    MEMGATE_DATA_DIR: dataDir,
    DATABASE_URL: '',
    REDIS_URL: '',
    MEMGATE_LLM_BASE_URL: '',
    OPENAI_BASE_URL: '',
    ...extra,
  };
}

/**
 * Starts the server and waits for its banner: by default `apps/server/src/main.ts` under tsx; pass
 * `nodeArguments` to run something else, e.g. the compiled entry point.
 */
export async function startServerProcess(
  env: NodeJS.ProcessEnv,
  nodeArguments: string[] = withTsx(SERVER_ENTRY),
): Promise<ServerProcess> {
  const child = spawn(node, nodeArguments, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (data: Buffer) => {
    output += data.toString();
  });
  child.stderr.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const check = () => {
      const match = /memgate listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] && /store: /.test(output)) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const key = /^\s+(mg-\S+)\s*$/m.exec(output)?.[1] ?? null;
  return {
    url,
    printedKey: key,
    output: () => output,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}

/** Runs the CLI (`pnpm memgate …`, from its sources unless `entry` says otherwise) and returns its output. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  entry: string[] = withTsx(CLI_ENTRY),
): Promise<ProcessResult> {
  return runNode([...entry, ...args], env);
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an entry point (relative to the repository root, from its sources) until it exits, and returns its output. */
export function runToExit(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runNode([...withTsx(entry), ...args], env);
}

async function runNode(nodeArgs: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  const child = spawn(node, nodeArgs, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}
