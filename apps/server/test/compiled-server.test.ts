import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPILED_CLI_ENTRY,
  COMPILED_SERVER_ENTRY,
  newcomerEnv,
  REPOSITORY_ROOT,
  runCli,
  type ServerProcess,
  startServerProcess,
} from './server-process.ts';

const rootScripts = (
  JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
/**
 * Plain `node` with TypeScript type stripping off: a workspace package that still resolved to its
 * `src/*.ts` (instead of `dist/*.js`) would fail to load rather than quietly run from sources.
 */
const compiled = (entry: string) => ['--no-experimental-strip-types', entry];

// The other server tests run the sources under tsx, which is faster and needs no build. This one
// runs what `pnpm start` runs: the build of its `prestart` script (a turbo cache hit when nothing
// changed), then the compiled JavaScript with plain node.
describe('the compiled server (`pnpm start`)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-compiled-'));
  let server: ServerProcess | undefined;

  beforeAll(() => {
    execSync(rootScripts['prestart']!, {
      cwd: REPOSITORY_ROOT,
      env: {
        ...process.env,
        PATH: `${join(REPOSITORY_ROOT, 'node_modules', '.bin')}${delimiter}${process.env['PATH']}`,
      },
      stdio: 'pipe',
      timeout: 240_000,
    });
  }, 250_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('`pnpm start` and `pnpm memgate` run the compiled entry points with plain node', () => {
    // The Node binary itself, exec'd: the `node` of node_modules/.bin is a shell shim that would not
    // pass on the SIGTERM that pnpm forwards, and the server would outlive `pnpm start`.
    expect(rootScripts['start']).toBe(`exec node_modules/node/bin/node ${COMPILED_SERVER_ENTRY}`);
    expect(rootScripts['memgate']).toBe(`node ${COMPILED_CLI_ENTRY}`);
  });

  it('answers /healthz, runs a turn, and its CLI reads the same data directory', async () => {
    server = await startServerProcess(newcomerEnv(dataDir), compiled(COMPILED_SERVER_ENTRY));
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const headers = { authorization: `Bearer ${server.printedKey}` };
    const agent = (await (
      await fetch(`${server.url}/v1/agents`, { method: 'POST', headers, body: '{"name":"ada"}' })
    ).json()) as { id: string };
    const turn = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: 'memgate',
        user: agent.id,
        messages: [{ role: 'user', content: 'My name is Ada' }],
      }),
    });
    expect(turn.status).toBe(200);
    expect(JSON.stringify(await turn.json())).toMatch(/Ada/);

    const listed = await runCli(['users', 'list'], newcomerEnv(dataDir), compiled(COMPILED_CLI_ENTRY));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('default');
  });

  it('checks the Node.js version first, before it loads what an older Node cannot link', () => {
    const pretendOld = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.20.2'})`;
    const result = spawnSync(process.execPath, ['--import', pretendOld, ...compiled(COMPILED_SERVER_ENTRY)], {
      cwd: REPOSITORY_ROOT,
      encoding: 'utf8',
      env: newcomerEnv(join(dataDir, 'never-created')),
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^memgate needs Node\.js 22\.16 or later .*\(this is v20\.20\.2\)/);
  });
});
