import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockUpstream, startMockUpstream } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newcomerEnv, type ServerProcess, startServerProcess } from './server-process.ts';

interface Readiness {
  status: string;
  llm?: string;
  upstream: { reachable: boolean; checked_at: string; error?: string };
}

describe('/readyz reports the upstream, without failing readiness for it', () => {
  const parent = mkdtempSync(join(tmpdir(), 'memgate-readyz-'));
  let upstream: MockUpstream;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    upstream = await startMockUpstream({ apiKey: 'sk-right-key-0123' });
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await upstream.close();
    rmSync(parent, { recursive: true, force: true });
  });

  async function readyz(baseURL: string, apiKey: string, dir: string): Promise<{ status: number; body: Readiness }> {
    const env = newcomerEnv(join(parent, dir), { MEMGATE_LLM_BASE_URL: baseURL, MEMGATE_LLM_API_KEY: apiKey });
    const server = await startServerProcess(env);
    servers.push(server);
    const response = await fetch(`${server.url}/readyz`);
    const text = await response.text();
    expect(text).not.toContain(apiKey);
    return { status: response.status, body: JSON.parse(text) as Readiness };
  }

  it('reachable: the mock upstream answers GET /models', async () => {
    const { status, body } = await readyz(upstream.url, 'sk-right-key-0123', 'reachable');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', upstream: { reachable: true } });
    expect(body.upstream.error).toBeUndefined();
    expect(Date.now() - Date.parse(body.upstream.checked_at)).toBeLessThan(60_000);
  });

  it('reachable but refusing the key: the status is reported', async () => {
    const { status, body } = await readyz(upstream.url, 'sk-wrong-key-0123', 'wrong-key');
    expect(status).toBe(200);
    expect(body.upstream).toMatchObject({ reachable: true, error: 'GET /models answered HTTP 401' });
  });

  it('unreachable (a closed port): still ready, with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { status, body } = await readyz(`http://127.0.0.1:${port}/v1`, 'sk-any-key-0123', 'closed');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', upstream: { reachable: false } });
    expect(body.upstream.error).toMatch(/ECONNREFUSED/);
    // No key is needed to read it: the upstream's address appears nowhere.
    expect(body.llm).toBe('openai-compatible');
    expect(JSON.stringify(body)).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${port}`));
  });
});
