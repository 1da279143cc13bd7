import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, startMockUpstream, type TestMemgate } from '@memgate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ChannelClient } from '../../ws/test/channel-client.ts';
import { type MemgateServer, startMemgateServer } from '../src/index.ts';

interface Setup {
  test: TestMemgate;
  server: MemgateServer;
  close(): Promise<void>;
}

let setup: Setup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

async function start(options: { maxConnections?: number; maxWsConnectionsPerUser?: number }): Promise<Setup> {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-caps-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0, ...options });
  return {
    test,
    server,
    async close() {
      await server.close();
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** GET on a connection of its own (no pooling), with its status, headers and body. */
function getOnNewConnection(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { agent: false }, (response) => {
      let body = '';
      response.on('data', (data: Buffer) => {
        body += data.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** A kept-alive connection that has had one request answered (so the server has counted it). */
async function heldConnection(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  return socket;
}

/** Opens a graphql-ws connection and reports whether it was acknowledged or how it was closed. */
function graphqlWs(
  url: string,
  apiKey: string,
): Promise<{ acked: boolean; code?: number; reason?: string; socket: WebSocket }> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })),
    );
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === 'connection_ack') resolve({ acked: true, socket });
    });
    socket.once('close', (code: number, reason: Buffer) =>
      resolve({ acked: false, code, reason: reason.toString(), socket }),
    );
  });
}

describe('MEMGATE_MAX_CONNECTIONS', () => {
  it('answers requests on connections past the cap with 503 and a reason, and serves again once one closes', async () => {
    setup = await start({ maxConnections: 2 });
    const { url } = setup.server;
    const first = await heldConnection(url);
    const second = await heldConnection(url);
    try {
      const refused = await getOnNewConnection(`${url}/healthz`);
      expect(refused.status).toBe(503);
      expect(refused.headers['connection']).toBe('close');
      expect(refused.headers['retry-after']).toBe('1');
      const body = JSON.parse(refused.body) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('too_many_connections');
      expect(body.error.message).toMatch(/MEMGATE_MAX_CONNECTIONS/);

      const upgrade = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/v1/chat/ws`);
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.once('error', () => undefined);
      });
      expect(upgrade).toBe(503);
    } finally {
      first.destroy();
    }
    // The closed connection no longer counts.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await getOnNewConnection(`${url}/healthz`)).status).toBe(200);
    second.destroy();
  });
});

describe('MEMGATE_MAX_WS_CONNECTIONS_PER_USER', () => {
  it('counts the chat channel and graphql-ws together, refusing 429 at the upgrade and 4429 after it, per user', async () => {
    setup = await start({ maxWsConnectionsPerUser: 2 });
    const { test, server } = setup;
    const chatUrl = `${server.url.replace('http', 'ws')}/v1/chat/ws`;
    const graphqlUrl = `${server.url.replace('http', 'ws')}/graphql`;
    const chat = await ChannelClient.connect(chatUrl, { apiKey: test.apiKey });
    const graphql = await graphqlWs(graphqlUrl, test.apiKey);
    expect(graphql.acked).toBe(true);
    try {
      // Authenticated at the upgrade (Authorization header): refused there.
      const refused = await new Promise<{ status: number; body: string }>((resolve) => {
        const socket = new WebSocket(chatUrl, { headers: { authorization: `Bearer ${test.apiKey}` } });
        socket.once('unexpected-response', (_request, response) => {
          let body = '';
          response.on('data', (data: Buffer) => {
            body += data.toString();
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        socket.once('error', () => undefined);
      });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatch(/MEMGATE_MAX_WS_CONNECTIONS_PER_USER/);

      // Authenticated by its first frame: closed with 4429 before `session.created`.
      const late = await ChannelClient.connect(chatUrl, { authToken: test.apiKey, skipSession: true });
      const closed = await late.closed;
      expect(closed.code).toBe(4429);
      expect(late.frames.some((frame) => frame.type === 'session.created')).toBe(false);

      // graphql-ws authenticates in connection_init: closed with 4429 and the reason.
      const third = await graphqlWs(graphqlUrl, test.apiKey);
      expect(third).toMatchObject({ acked: false, code: 4429 });
      expect(third.reason).toMatch(/Too many WebSocket connections/);

      // Another user has a count of their own.
      const other = await ChannelClient.connect(chatUrl, { apiKey: test.otherApiKey });
      await other.close();
    } finally {
      await chat.close();
      graphql.socket.close();
    }
    // Closed connections give their places back.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await ChannelClient.connect(chatUrl, { apiKey: test.apiKey });
    await again.close();
  });
});
