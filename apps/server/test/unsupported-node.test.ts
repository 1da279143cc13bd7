import { execFileSync, spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { isSupportedNode } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { CLI_ENTRY, REPOSITORY_ROOT, SERVER_ENTRY, withTsx } from './server-process.ts';

/**
 * The `node` a user gets outside pnpm: the first on PATH that is not a project's own (pnpm puts
 * node_modules/.bin first). On this machine that is the system's Node 20.
 */
function machineNode(): { path: string; version: string } {
  for (const directory of (process.env['PATH'] ?? '').split(delimiter)) {
    if (directory.includes('node_modules')) continue;
    const path = join(directory, 'node');
    try {
      return { path, version: execFileSync(path, ['--version'], { encoding: 'utf8' }).trim() };
    } catch {
      // No node here.
    }
  }
  throw new Error('no node on PATH outside node_modules');
}

describe('an unsupported Node.js outside pnpm', () => {
  const old = machineNode();
  // Where the machine's own Node is already supported, the same check runs under a Node that reports
  // an old version, so this test exercises the refusal everywhere instead of skipping.
  const pretendOld = isSupportedNode(old.version.slice(1))
    ? ['--import', `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.20.2'})`]
    : [];
  const reported = pretendOld.length > 0 ? 'v20.20.2' : old.version;

  for (const [name, entry] of [
    ['the server', SERVER_ENTRY],
    ['the CLI', CLI_ENTRY],
  ] as const) {
    it(`${name} prints one line naming the required version and how to get it, and exits 2`, () => {
      const result = spawnSync(old.path, [...pretendOld, ...withTsx(entry), 'users', 'list'], {
        cwd: REPOSITORY_ROOT,
        encoding: 'utf8',
        env: { ...process.env, MEMGATE_DATA_DIR: join(REPOSITORY_ROOT, 'never-created') },
        timeout: 20_000,
      });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `memgate needs Node.js 22.16 or later on 22, 24, or 26 and later (this is ${reported}). ` +
          'Run it through pnpm, which uses the Node.js 24 the project installs: npx -y pnpm@10.34.9 start\n',
      );
    });
  }
});
