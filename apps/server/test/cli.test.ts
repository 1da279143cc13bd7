import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newcomerEnv, runCli, type ServerProcess, startServerProcess } from './server-process.ts';

const parent = mkdtempSync(join(tmpdir(), 'memgate-cli-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('pnpm memgate: help and usage', () => {
  const env = newcomerEnv(join(parent, 'never-created'));

  it('--help, help GROUP, help GROUP COMMAND and COMMAND --help print to stdout and exit 0', async () => {
    const results = await Promise.all([
      runCli(['--help'], env),
      runCli(['help'], env),
      runCli(['help', 'agents'], env),
      runCli(['help', 'agents', 'export'], env),
      runCli(['keys', 'create', '--help'], env),
    ]);
    for (const result of results) {
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^usage: pnpm memgate /);
    }
    const [full, , agents, exportHelp, keysCreate] = results;
    for (const command of [
      'users list',
      'users create',
      'users delete USER [--force]',
      'keys list USER',
      'keys create USER [--scope full|read] [--expires-at TIME]',
      'keys delete',
      'agents export',
    ]) {
      expect(full?.stdout).toContain(command);
    }
    expect(full?.stdout).toMatch(/Exit codes: 0 done, 1 failed .*, 2 bad usage or configuration/);
    expect(agents?.stdout).not.toContain('users list');
    expect(exportHelp?.stdout).toMatch(/^usage: pnpm memgate agents export AGENT_ID \[--user USER\] \[--messages/);
    expect(keysCreate?.stdout).toMatch(/^usage: pnpm memgate keys create USER/);
    expect(existsSync(join(parent, 'never-created'))).toBe(false);
  });

  const badUsage: [string[], string][] = [
    [['nonsense'], 'unknown command "nonsense"'],
    [['agents', 'rename', 'x'], 'unknown command "agents rename"'],
    [[], 'missing command'],
    [['users', 'list', '--bogus'], "Unknown option '--bogus'"],
    [['users', 'create'], 'missing NAME'],
    [['keys', 'delete', 'a', 'b'], 'unexpected argument "b"'],
    [['help', 'nothing'], 'no help for "nothing"'],
  ];
  it('bad usage (unknown command or option, missing or extra argument): the problem and the usage on stderr, exit 2', async () => {
    const results = await Promise.all(badUsage.map(([args]) => runCli(args, env)));
    for (const [index, result] of results.entries()) {
      const [args, problem] = badUsage[index] ?? [[], ''];
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`memgate: ${problem}\n\nusage: pnpm memgate`);
    }
  });
});

describe('pnpm memgate: commands never create data they were not asked to', () => {
  const commands = [
    ['users', 'list'],
    ['agents', 'list'],
    ['agents', 'export', 'agent-1'],
    ['keys', 'create', 'default'],
    ['keys', 'list', 'default'],
    ['users', 'delete', 'default'],
    ['agents', 'create', 'ada'],
    ['agents', 'delete', 'agent-1'],
  ];
  it('every command but users create, on a missing data directory: one line, exit 1, nothing created', async () => {
    await Promise.all(
      commands.map(async (args) => {
        const dataDir = join(parent, `missing-${args.join('-')}`);
        const result = await runCli(args, newcomerEnv(dataDir));
        expect(result.code, args.join(' ')).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(
          `memgate: No memgate data in ${dataDir} (no memgate.sqlite): set MEMGATE_DATA_DIR to the server's data directory, or DATABASE_URL.\n`,
        );
        expect(existsSync(dataDir)).toBe(false);
      }),
    );
  }, 120_000);
});

describe('pnpm memgate: users, keys and agents on a real data directory', () => {
  const dataDir = join(parent, 'data');
  const env = newcomerEnv(dataDir);
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  const json = async (args: string[]) => {
    const result = await runCli(args, env);
    expect(result, `${args.join(' ')}: ${result.stderr}`).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout) as Record<string, unknown> & Record<string, unknown>[];
  };

  it('creates a user (and the data directory, without a default user), keys, agents; exports; deletes', async () => {
    expect(await json(['users', 'create', 'carol'])).toMatchObject({ name: 'carol' });
    expect(existsSync(join(dataDir, 'memgate.sqlite'))).toBe(true);
    expect((await json(['users', 'list'])).map((user) => user['name'])).toEqual(['carol']);
    expect(existsSync(join(dataDir, 'default-api-key'))).toBe(false);

    const key = await json(['keys', 'create', 'carol', '--json']);
    expect(key['key']).toMatch(/^mg-/);
    const agent = await json(['agents', 'create', 'ada', '--user', 'carol']);
    expect(agent).toMatchObject({ name: 'ada', model: 'memgate-offline' });
    expect(await json(['agents', 'list', '-u', 'carol'])).toEqual([agent]);
    // Agents belong to a user: another user's view has none.
    const other = await runCli(['agents', 'list'], env);
    expect(other).toMatchObject({ code: 1, stderr: 'memgate: User default not found.\n' });

    // A turn through the real server, so the export has messages and memory to show.
    server = await startServerProcess(env);
    const headers = { authorization: `Bearer ${String(key['key'])}` };
    const turn = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: 'memgate',
        user: agent['id'],
        messages: [{ role: 'user', content: 'My name is Ada' }],
      }),
    });
    expect(turn.status).toBe(200);
    const exported = await json(['agents', 'export', String(agent['id']), '-u', 'carol']);
    // A Letta Agent File: the agent, its blocks and its messages.
    const file = exported as unknown as {
      agents: { name: string; block_ids: string[]; messages: { role: string; content: { text: string }[] }[] }[];
      blocks: { id: string; label: string; value: string }[];
    };
    expect(file.agents).toHaveLength(1);
    expect(file.agents[0]?.name).toBe('ada');
    expect(file.blocks.find((block) => block.label === 'human')?.value).toContain('Ada');
    const exportedMessages = file.agents[0]?.messages ?? [];
    expect(exportedMessages.find((message) => message.role === 'user')?.content[0]?.text).toBe('My name is Ada');

    // Imported back (as another agent of the same user), with its memory and history.
    const path = join(parent, 'ada.af');
    writeFileSync(path, JSON.stringify(exported));
    const dryRun = await json(['agents', 'import', path, '-u', 'carol', '--dry-run']);
    expect(dryRun).toMatchObject({ dry_run: true });
    const imported = await json(['agents', 'import', path, '-u', 'carol']);
    expect(imported).toMatchObject({ dry_run: false, agent_ids: [expect.stringMatching(/^agent-/)] });
    const listed = (await json(['agents', 'list', '-u', 'carol'])) as unknown as { id: string }[];
    expect(listed.map((entry) => entry.id)).toContain((imported['agent_ids'] as string[])[0]);
    expect(listed).toHaveLength(2);

    expect(await json(['keys', 'delete', String(key['id'])])).toEqual({ id: key['id'], deleted: true });
    const refused = await fetch(`${server.url}/v1/agents`, { headers });
    expect(refused.status).toBe(401);
    expect(await json(['agents', 'delete', String(agent['id']), '-u', 'carol'])).toEqual({
      id: agent['id'],
      deleted: true,
    });
    const gone = await runCli(['agents', 'export', String(agent['id']), '-u', 'carol'], env);
    expect(gone).toMatchObject({ code: 1, stdout: '', stderr: `memgate: Agent ${String(agent['id'])} not found.\n` });
  }, 120_000);

  it('lists keys without their secrets, creates scoped and expiring keys, deletes users (agents need --force)', async () => {
    await json(['users', 'create', 'dave']);
    const expiresAt = '2099-01-01T00:00:00.000Z';
    const readKey = await json(['keys', 'create', 'dave', '--scope', 'read', '--expires-at', expiresAt]);
    expect(readKey).toMatchObject({ scope: 'read', expires_at: expiresAt });
    const fullKey = await json(['keys', 'create', 'dave']);
    expect(fullKey).toMatchObject({ scope: 'full', expires_at: null });

    const listed = await runCli(['keys', 'list', 'dave', '--json'], env);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).not.toContain(String(readKey['key']));
    expect(listed.stdout).not.toContain(String(fullKey['key']));
    const keys = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(keys.map((key) => [key['id'], key['scope'], key['expires_at'], key['last_used_at']])).toEqual([
      [readKey['id'], 'read', expiresAt, null],
      [fullKey['id'], 'full', null, null],
    ]);
    expect(Object.keys(keys[0] ?? {}).sort()).toEqual([
      'created_at',
      'expires_at',
      'id',
      'last_used_at',
      'prefix',
      'scope',
    ]);

    const past = await runCli(['keys', 'create', 'dave', '--expires-at', '2001-01-01T00:00:00Z'], env);
    expect(past).toMatchObject({ code: 1, stdout: '', stderr: 'memgate: expires_at must be in the future.\n' });
    const badScope = await runCli(['keys', 'create', 'dave', '--scope', 'admin'], env);
    expect(badScope.code).toBe(1);
    expect(badScope.stderr).toMatch(/^memgate: .*scope/);
    expect(await json(['keys', 'list', 'dave'])).toHaveLength(2);

    await json(['agents', 'create', 'bea', '--user', 'dave']);
    const refused = await runCli(['users', 'delete', 'dave'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^memgate: User dave has 1 agent\(s\): delete them first, or force .*--force in the CLI/,
    );
    expect((await json(['users', 'list'])).map((user) => user['name'])).toContain('dave');

    expect(await json(['users', 'delete', 'dave', '--force'])).toEqual({ id: 'dave', deleted: true });
    expect((await json(['users', 'list'])).map((user) => user['name'])).not.toContain('dave');
    expect(await runCli(['keys', 'list', 'dave'], env)).toMatchObject({
      code: 1,
      stderr: 'memgate: User dave not found.\n',
    });
  }, 120_000);

  it('sets, shows and clears limits of users and keys; sums usage; refuses bad limits naming the field', async () => {
    await json(['users', 'create', 'erin']);
    const key = await json(['keys', 'create', 'erin']);
    const set = await json(['limits', 'set', '-u', 'erin', '--rpm', '30', '--budget-usd', '2.5', '--period', 'day']);
    expect(set).toMatchObject({
      object: 'limits',
      key_id: null,
      limits: { rpm: 30, tpm: null, max_concurrent_turns: null, budget: { usd: 2.5, period: 'day' }, exempt: false },
    });
    await json(['limits', 'set', '--key', String(key['id']), '--tpm', '1000', '--concurrency', '2']);
    expect(await json(['limits', 'show', '--key', String(key['id'])])).toMatchObject({
      key_id: key['id'],
      limits: { tpm: 1000, max_concurrent_turns: 2 },
    });
    expect(await json(['limits', 'show', '-u', 'erin'])).toMatchObject({ limits: { rpm: 30 } });
    const bad = await runCli(['limits', 'set', '-u', 'erin', '--rpm=-3'], env);
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toMatch(/^memgate: .*rpm/);
    const both = await runCli(['limits', 'set', '-u', 'erin', '--budget-usd', '1', '--budget-tokens', '5'], env);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/exactly one of usd and tokens/);
    expect(await json(['limits', 'show', '-u', 'erin'])).toMatchObject({ limits: { rpm: 30 } });
    expect(await json(['limits', 'clear', '-u', 'erin'])).toEqual({ user: 'erin', cleared: true });
    expect(await json(['limits', 'show', '-u', 'erin'])).toMatchObject({ limits: null });

    const usage = (await json(['usage', '--group-by', 'model'])) as unknown as { key: string; calls: number }[];
    expect(usage.at(-1)).toMatchObject({ key: 'total' });
    const erins = (await json(['usage', '-u', 'erin'])) as unknown as { key: string; calls: number }[];
    expect(erins).toEqual([expect.objectContaining({ key: 'total', calls: 0, turns: 0 })]);
    const badRange = await runCli(['usage', '--from', 'yesterday'], env);
    expect(badRange.code).toBe(1);
    expect(badRange.stderr).toMatch(/from/);
    const help = await runCli(['help', 'usage'], env);
    expect(help.stdout).toMatch(/^usage: pnpm memgate usage \[--user USER\] \[--group-by/);
  }, 120_000);
});
