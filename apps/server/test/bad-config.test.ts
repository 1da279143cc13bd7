import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, newcomerEnv, runToExit, SERVER_ENTRY } from './server-process.ts';

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

describe('a bad configuration stops every entry point with one line and exit code 2, before anything opens', () => {
  const parent = mkdtempSync(join(tmpdir(), 'memgate-bad-config-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  type Entry = [name: string, path: string, args: string[]];
  type Case = [variable: string, env: Record<string, string>, line: RegExp];
  const server: Entry = ['server', SERVER_ENTRY, []];
  const others: Entry[] = [
    ['REST app', 'apps/rest/src/main.ts', []],
    ['GraphQL app', 'apps/graphql/src/main.ts', []],
    ['WebSocket app', 'apps/ws/src/main.ts', []],
    ['CLI', CLI_ENTRY, ['users', 'create', 'carol']],
  ];
  // Before this check, mysql:// silently connected to the local PostgreSQL.
  const databaseUrl: Case = [
    'DATABASE_URL',
    { DATABASE_URL: 'mysql://root:hunter2@127.0.0.1:5432/app' },
    /^memgate: invalid configuration: DATABASE_URL="mysql:\/\/root:\*\*\*@127\.0\.0\.1:5432\/app": expected a PostgreSQL URL \(postgres:\/\/ or postgresql:\/\/…\)$/,
  ];
  const cases: Case[] = [
    databaseUrl,
    [
      'MEMGATE_LLM_BASE_URL',
      { MEMGATE_LLM_BASE_URL: 'localhost:11434/v1', MEMGATE_LLM_API_KEY: 'sk-secret-key-0123' },
      /^memgate: invalid configuration: MEMGATE_LLM_BASE_URL="localhost:11434\/v1": expected an HTTP URL/,
    ],
    ['REDIS_URL', { REDIS_URL: 'http://cache:6379' }, /REDIS_URL="http:\/\/cache:6379": expected a Redis URL/],
    ['PORT', { PORT: '70000' }, /PORT="70000": expected a whole number from 0 to 65535$/],
    [
      'MEMGATE_PG_POOL_SIZE',
      { MEMGATE_PG_POOL_SIZE: 'ten' },
      /MEMGATE_PG_POOL_SIZE="ten": expected a whole number ≥ 1$/,
    ],
    [
      'MEMGATE_ADMIN_TOKEN',
      { MEMGATE_ADMIN_TOKEN: 'tiny-secret' },
      /MEMGATE_ADMIN_TOKEN="\*\*\* \(11 characters\)": expected a token of at least 16 characters$/,
    ],
    [
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      /OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318": expected an HTTP URL of an OTLP collector/,
    ],
    ['MEMGATE_TRACE_CONTENT', { MEMGATE_TRACE_CONTENT: 'yes' }, /MEMGATE_TRACE_CONTENT="yes": expected 0 or 1$/],
  ];

  /** Starts `entry` with a bad variable and checks that it stopped cleanly, before doing anything. */
  async function expectStopped([name, entry, args]: Entry, [variable, bad, line]: Case): Promise<void> {
    const dataDir = join(parent, `${name}-${variable}`.replaceAll(' ', '-'));
    const port = await freePort();
    const result = await runToExit(entry, args, newcomerEnv(dataDir, { PORT: String(port), ...bad }));
    expect(result.code, `${name} ${variable}: ${result.stderr}`).toBe(2);
    expect(result.stderr.endsWith('\n')).toBe(true);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(result.stderr).not.toMatch(/hunter2|sk-secret-key|tiny-secret|\bat .*\.ts:\d+/);
    expect(result.stdout).toBe('');
    expect(existsSync(dataDir), `${dataDir} was created`).toBe(false);
    expect(await listening(port)).toBe(false);
  }

  it('server: each bad value, masked, on one stderr line; no data dir; nothing listens', async () => {
    // Each start is a fresh Node process that loads the whole server: two at a time is plenty.
    for (let index = 0; index < cases.length; index += 2) {
      await Promise.all(cases.slice(index, index + 2).map((each) => expectStopped(server, each)));
    }
  }, 120_000);

  // They share the server's loadConfigOrExit: one case each shows that they use it.
  it('REST, GraphQL and WebSocket apps and the CLI: the same, before they open anything', async () => {
    for (const entry of others) await expectStopped(entry, databaseUrl);
  }, 120_000);
});
