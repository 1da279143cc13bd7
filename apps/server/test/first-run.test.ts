import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newcomerEnv, runCli, type ServerProcess, startServerProcess } from './server-process.ts';

interface Completion {
  choices: { message: { content: string } }[];
}

describe('pnpm start on a fresh data directory (offline model, SQLite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-first-run-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a working key; chat works plain and streaming; a crash loses nothing acknowledged', async () => {
    server = await startServerProcess(newcomerEnv(dataDir));
    expect(server.output()).toMatch(/LLM:\s+memgate-offline/);
    expect(server.output()).toContain(`node:   ${process.version}`);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', upstream: 'offline', node: process.version });
    const key = server.printedKey;
    expect(key).toMatch(/^mg-/);
    const keyFile = join(dataDir, 'default-api-key');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    const headers = { authorization: `Bearer ${key}` };
    const agent = (await (
      await fetch(`${server.url}/v1/agents`, { method: 'POST', headers, body: '{"name":"ada"}' })
    ).json()) as {
      id: string;
    };
    const chat = (content: string, stream = false) =>
      fetch(`${server!.url}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'memgate', user: agent.id, stream, messages: [{ role: 'user', content }] }),
      });

    const introduced = (await (await chat('My name is Ada')).json()) as Completion;
    expect(introduced.choices[0]?.message.content).toMatch(/Ada/);
    const streamed = await (await chat('hello there', true)).text();
    expect(streamed).toContain('data: [DONE]');
    const streamedText = streamed
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: {'))
      .map(
        (frame) =>
          (JSON.parse(frame.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ??
          '',
      )
      .join('');
    expect(streamedText).toBe('Echo: hello there');

    // A crash (SIGKILL, no shutdown) right after the answers: everything acknowledged survives.
    await server.stop('SIGKILL');
    server = await startServerProcess(newcomerEnv(dataDir));
    expect(server.printedKey).toBeNull();
    const recalled = (await (await chat('What is my name?')).json()) as Completion;
    expect(recalled.choices[0]?.message.content).toBe('Your name is Ada.');
    const messages = (await (
      await fetch(`${server.url}/v1/agents/${agent.id}/messages?limit=1000`, { headers })
    ).json()) as {
      data: { role: string; content: string | null }[];
    };
    const userMessages = messages.data.filter((message) => message.role === 'user').map((message) => message.content);
    expect(userMessages).toEqual(['My name is Ada', 'hello there', 'What is my name?']);
    const memory = (await (await fetch(`${server.url}/v1/agents/${agent.id}/memory`, { headers })).json()) as {
      blocks: { label: string; value: string }[];
    };
    expect(memory.blocks.find((block) => block.label === 'human')?.value).toContain('Ada');
  });

  it('manages users, keys and agents from the CLI', async () => {
    const env = newcomerEnv(dataDir);
    const created = await runCli(['users', 'create', 'carol'], env);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'carol' });
    const key = await runCli(['keys', 'create', 'carol'], env);
    expect(key.code).toBe(0);
    const { key: secret } = JSON.parse(key.stdout) as { key: string };
    const response = await fetch(`${server!.url}/v1/agents`, { headers: { authorization: `Bearer ${secret}` } });
    expect(response.status).toBe(200);
    const agents = await runCli(['agents', 'list', '--user', 'default'], env);
    expect(JSON.parse(agents.stdout)).toEqual([expect.objectContaining({ name: 'ada' })]);
    const usage = await runCli(['nonsense'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: pnpm memgate/);
  });
});
