import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { echoResponder, type MockUpstream, startMockUpstream } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newcomerEnv, type ServerProcess, startServerProcess } from './server-process.ts';

interface StoredMessageResource {
  role: string;
  content: string | null;
  tool_calls?: { function: { name: string; arguments: string } }[];
}

const AGENTS = 6;

/**
 * kill -9 in the middle of concurrent turns on SQLite: every reply a client received must have
 * its user message and its assistant message in the history after a restart, and the history must
 * hold no assistant message without its user message and no message twice.
 */
describe('a SQLite server killed mid-load', () => {
  let upstream: MockUpstream;
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    // A small delay per upstream call, so that turns are in flight at every moment.
    upstream = await startMockUpstream({ defaultResponder: (request) => ({ ...echoResponder(request), delayMs: 3 }) });
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-crash-'));
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => newcomerEnv(dataDir, { MEMGATE_LLM_BASE_URL: upstream.url, MEMGATE_LLM_API_KEY: 'sk-test' });

  it('keeps every acknowledged turn, whole and once', { timeout: 120_000 }, async () => {
    server = await startServerProcess(env());
    const key = server.printedKey!;
    const { url } = server;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    // Node's fetch keeps its connections alive, as a load generator does.
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

    const agents: string[] = [];
    for (let index = 0; index < AGENTS; index++) {
      const response = await post('/v1/agents', {});
      expect(response.status).toBe(201);
      agents.push(((await response.json()) as { id: string }).id);
    }

    const acknowledged = new Map<string, string[]>(agents.map((agentId) => [agentId, []]));
    let stopped = false;
    const load = agents.map(async (agentId) => {
      for (let turn = 0; !stopped; turn++) {
        const content = `${agentId} turn ${turn}`;
        try {
          const response = await post('/v1/chat/completions', {
            model: agentId,
            user: agentId,
            messages: [{ role: 'user', content }],
          });
          if (response.status !== 200) return;
          const body = (await response.json()) as { choices: { message: { content: string | null } }[] };
          // Received: from here on the client may rely on it.
          if (body.choices[0]?.message.content === `Echo: ${content}`) acknowledged.get(agentId)!.push(content);
        } catch {
          return; // the server died under this request
        }
      }
    });
    // Killed once every agent has some acknowledged turns, while all of them have one in flight.
    await expect
      .poll(() => Math.min(...[...acknowledged.values()].map((list) => list.length)), {
        timeout: 60_000,
        interval: 20,
      })
      .toBeGreaterThanOrEqual(5);
    await server.stop('SIGKILL');
    stopped = true;
    await Promise.all(load);

    server = await startServerProcess(env());
    const total = [...acknowledged.values()].reduce((sum, list) => sum + list.length, 0);
    expect(total).toBeGreaterThanOrEqual(AGENTS * 5);
    for (const agentId of agents) {
      const response = await fetch(`${server.url}/v1/agents/${agentId}/messages?limit=1000`, { headers });
      expect(response.status).toBe(200);
      const history = ((await response.json()) as { data: StoredMessageResource[] }).data;
      const users = history.filter((message) => message.role === 'user').map((message) => message.content);
      expect(new Set(users).size).toBe(users.length);
      // Each assistant message answers the user message right before it in the history.
      let lastUser: string | null = null;
      const answered: string[] = [];
      for (const message of history) {
        if (message.role === 'user') lastUser = message.content;
        if (message.role !== 'assistant') continue;
        expect(lastUser).not.toBeNull();
        expect(sentText(message)).toBe(`Echo: ${lastUser}`);
        expect(answered).not.toContain(lastUser);
        answered.push(lastUser!);
      }
      for (const content of acknowledged.get(agentId)!) {
        expect(users).toContain(content);
        expect(answered).toContain(content);
      }
    }
  });
});

/** What the agent sent with send_message in an assistant message, if it did. */
function sentText(message: StoredMessageResource): string | undefined {
  const call = message.tool_calls?.find((candidate) => candidate.function.name === 'send_message');
  return call ? (JSON.parse(call.function.arguments) as { message: string }).message : undefined;
}
