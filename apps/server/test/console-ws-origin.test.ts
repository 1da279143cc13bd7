import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, startMockUpstream } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startMemgateServer } from '../src/index.ts';

/** The status a WebSocket upgrade gets: 101, or the HTTP status it was refused with. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

/** The first graphql-ws message after `connection_init` with the key, from a page of `origin`. */
function connectionAck(wsUrl: string, origin: string, apiKey: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { origin });
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })),
    );
    socket.on('message', (data) => {
      resolve((JSON.parse(String(data)) as { type: string }).type);
      socket.close();
    });
    socket.on('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
    socket.on('error', reject);
  });
}

// MEMGATE_CORS_ORIGINS is unset: the only browser origin allowed is the server's own (the console).
describe('WebSocket upgrades from the console, same origin', () => {
  let close: () => Promise<void>;
  let url: string;
  let apiKey: string;
  beforeAll(async () => {
    const upstream = await startMockUpstream();
    const dataDir = mkdtempSync(join(tmpdir(), 'memgate-ws-origin-'));
    const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
    const server = await startMemgateServer({ memgate: test.memgate, port: 0 });
    url = server.url;
    apiKey = test.apiKey;
    close = async () => {
      await server.close();
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  });
  afterAll(() => close());

  it('accepts graphql-ws from a page of the server itself and acknowledges the key', async () => {
    const wsUrl = url.replace(/^http/, 'ws');
    expect(await connectionAck(`${wsUrl}/graphql`, url, apiKey)).toBe('connection_ack');
  });

  it('accepts the same origin however the host is spelled, on both socket paths', async () => {
    const { host } = new URL(url);
    const protocol = { 'sec-websocket-protocol': 'graphql-transport-ws' };
    expect(await upgradeStatus(`${url}/graphql`, { ...protocol, origin: url.toUpperCase() })).toBe(101);
    expect(
      await upgradeStatus(`${url}/graphql`, { ...protocol, host: 'LocalHost:80', origin: 'http://localhost' }),
    ).toBe(101);
    // Behind a proxy that ended TLS: the page was https, the proxy says so.
    expect(
      await upgradeStatus(`${url}/graphql`, { ...protocol, 'x-forwarded-proto': 'https', origin: `https://${host}` }),
    ).toBe(101);
    expect(await upgradeStatus(`${url}/v1/chat/ws`, { authorization: `Bearer ${apiKey}`, origin: url })).toBe(101);
  });

  it('still refuses other origins: another host, another port, another scheme', async () => {
    const { hostname, port, host } = new URL(url);
    const protocol = { 'sec-websocket-protocol': 'graphql-transport-ws' };
    for (const origin of [
      'http://evil.example.com',
      `http://${hostname}:${Number(port) + 1}`,
      `https://${host}`,
      `http://${host}.evil.example.com`,
      'null',
    ]) {
      expect(await upgradeStatus(`${url}/graphql`, { ...protocol, origin }), origin).toBe(403);
      expect(await upgradeStatus(`${url}/v1/chat/ws`, { authorization: `Bearer ${apiKey}`, origin }), origin).toBe(403);
    }
    // The proxy says the page was plain http: an https page of the same host is another origin.
    expect(
      await upgradeStatus(`${url}/graphql`, { ...protocol, 'x-forwarded-proto': 'http', origin: `https://${host}` }),
    ).toBe(403);
  });
});
