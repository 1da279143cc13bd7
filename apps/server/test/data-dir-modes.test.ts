import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newcomerEnv, type ServerProcess, startServerProcess } from './server-process.ts';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

interface LogLine {
  level: number;
  msg: string;
  dataDir?: string;
  fix?: string;
}

function warnings(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.level === 40);
}

describe('the SQLite data directory on disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'memgate-data-modes-'));
  const dataDir = join(root, 'data');
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('is created 0700 with 0600 files, and a directory others can read gets a warning naming the fix', async () => {
    server = await startServerProcess(newcomerEnv(dataDir));
    expect(modeOf(dataDir)).toBe(0o700);
    for (const file of ['memgate.sqlite', 'memgate.sqlite-wal', 'memgate.sqlite-shm', 'default-api-key']) {
      expect(modeOf(join(dataDir, file))).toBe(0o600);
    }
    expect(warnings(server.output())).toEqual([]);
    await server.stop();

    chmodSync(dataDir, 0o755);
    server = await startServerProcess(newcomerEnv(dataDir));
    const [warning] = warnings(server.output());
    expect(warning).toMatchObject({ dataDir, fix: `chmod 700 ${dataDir}` });
    expect(warning?.msg).toContain(`chmod 700 ${dataDir}`);
    // Left as the operator set it: memgate warns, it does not change an existing directory.
    expect(modeOf(dataDir)).toBe(0o755);
  });
});
