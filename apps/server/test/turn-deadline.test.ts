import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@memgate/store-sqlite';
import {
  createTestMemgate,
  type MockUpstream,
  type ProtocolClient,
  RestSetup,
  sendMessage,
  startMockUpstream,
  streamedText,
  type TestMemgate,
} from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphqlClient } from '../../graphql/test/graphql-client.ts';
import { restClient } from '../../rest/test/rest-client.ts';
import { wsProtocolClient } from '../../ws/test/ws-protocol-client.ts';
import { type MemgateServer, startMemgateServer } from '../src/index.ts';

const TURN_TIMEOUT_MS = 1_000;
const ask = (agentId: string, stream = false) => ({
  model: 'mock-model',
  user: agentId,
  ...(stream && { stream: true }),
  messages: [{ role: 'user', content: 'Take your time' }],
});

// The upstream call timeout (10 s) is far above the turn's: a 504 here can only be the turn deadline.
describe('the whole-turn deadline (MEMGATE_TURN_TIMEOUT_MS) on every protocol', () => {
  let upstream: MockUpstream;
  let dataDir: string;
  let test: TestMemgate;
  let server: MemgateServer;
  let rest: RestSetup;
  let agentId: string;
  const clients: Record<string, () => Promise<ProtocolClient>> = {
    REST: async () => restClient(server.url, test.apiKey),
    GraphQL: async () =>
      graphqlClient(
        { graphqlUrl: `${server.url}/graphql`, wsUrl: `${server.url.replace('http', 'ws')}/graphql` },
        test.apiKey,
      ),
    WebSocket: () => wsProtocolClient(`${server.url.replace('http', 'ws')}/v1/chat/ws`, test.apiKey),
  };

  beforeAll(async () => {
    upstream = await startMockUpstream();
    dataDir = mkdtempSync(join(tmpdir(), 'memgate-turn-deadline-'));
    test = await createTestMemgate({
      store: SqliteStore.open(dataDir),
      upstreamUrl: upstream.url,
      timeoutMs: 10_000,
      turnTimeoutMs: TURN_TIMEOUT_MS,
    });
    server = await startMemgateServer({ memgate: test.memgate, port: 0 });
    rest = new RestSetup(server.url, test.apiKey);
  });
  afterAll(async () => {
    await server?.close();
    await test?.memgate.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    upstream.reset();
    agentId = await rest.createAgent({ name: 'deadline' });
  });

  /** A second turn on the agent runs (its lock was released) and sees the first turn's stored reply. */
  async function expectAgentUsable(client: ProtocolClient) {
    upstream.script(sendMessage('Back again.'));
    const next = await client.complete(ask(agentId));
    if (!next.ok) throw new Error(next.error.message);
    expect(next.completion.choices[0]?.message.content).toBe('Back again.');
    const history = await rest.messages(agentId);
    // The step that finished before the deadline is stored whole: its call and the call's result.
    const step = history.find((message) => JSON.stringify(message).includes('Working on it.'));
    expect(step?.role).toBe('assistant');
    expect(history.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user', 'assistant', 'tool']);
  }

  for (const [name, connect] of Object.entries(clients)) {
    it(`${name}: a turn past its deadline ends with 504, and the agent is free again`, async () => {
      const client = await connect();
      try {
        // The first step answers at once and asks for another; the second never answers.
        upstream.script(sendMessage('Working on it.', { requestHeartbeat: true }), { hang: true });
        const outcome = await client.complete(ask(agentId));
        expect(outcome.ok).toBe(false);
        if (outcome.ok) return;
        expect(outcome.error.status).toBe(504);
        expect(outcome.error.message).toMatch(/did not finish within 1s/);
        await expectAgentUsable(client);
      } finally {
        await client.close();
      }
    });

    it(`${name}: a streamed turn past its deadline ends with an in-band 504 after what it streamed`, async () => {
      const client = await connect();
      try {
        upstream.script(sendMessage('Working on it.', { requestHeartbeat: true }), { hang: true });
        const outcome = await client.stream(ask(agentId, true));
        if (!outcome.ok) throw new Error(`refused: ${outcome.error.message}`);
        expect(streamedText(outcome.chunks)).toContain('Working on it.');
        expect(outcome.error?.status).toBe(504);
        expect(outcome.error?.message).toMatch(/did not finish within 1s/);
        await expectAgentUsable(client);
      } finally {
        await client.close();
      }
    });
  }
});
