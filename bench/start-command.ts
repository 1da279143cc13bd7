/** Running the root `start` script the way pnpm runs it: its command, environment, port and readiness. */
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where `pnpm start` runs. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function rootScripts(): Record<string, string | undefined> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return manifest.scripts ?? {};
}

/**
 * The root package.json's `start` script, read at run time so the benchmark follows it if it changes;
 * `BENCH_START_COMMAND` times another command instead (e.g. the sources under tsx, for a before/after).
 */
export function startCommand(): string {
  const command = process.env['BENCH_START_COMMAND'] || rootScripts()['start'];
  if (!command) throw new Error('the root package.json has no start script');
  return command;
}

/**
 * The root `prestart` script (the build `pnpm start` runs first), or null. The benchmark runs it once
 * before the timed starts, so they time the server's start and not the build.
 */
export function prestartCommand(): string | null {
  return rootScripts()['prestart'] ?? null;
}

/** A port nothing listens on right now (the OS picks it; released again before memgate binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Whether GET /healthz answers 200; false while nothing listens yet. */
export function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    // A new connection per poll (no agent): the first successful one is what a load balancer would see.
    const request = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode === 200));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** The environment pnpm gives a root script: the root node_modules/.bin first on PATH. */
export function scriptEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env['PATH'] ?? ''}`,
  };
  // NODE_PATH is what the bench's own tsx launcher exported, not what `pnpm start` would see.
  delete env['NODE_PATH'];
  return env;
}

/** The environment of `pnpm start` in the repository root, with this start's port and data directory. */
export function startEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...scriptEnv(), HOST: '127.0.0.1', PORT: String(port), MEMGATE_DATA_DIR: dataDir };
  // The default backends (SQLite, in-process lock and events) whatever the caller's shell has set.
  delete env['DATABASE_URL'];
  delete env['REDIS_URL'];
  return env;
}
