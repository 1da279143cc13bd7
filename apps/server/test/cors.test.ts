import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorsOrigins } from '@memgate/core';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, startMockUpstream } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemgateServer, startMemgateServer } from '../src/index.ts';

const ALLOWED = 'https://app.example.com';
const OTHER = 'https://evil.example.com';

async function startServer(corsOrigins?: CorsOrigins) {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-cors-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0, corsOrigins });
  return {
    server,
    apiKey: test.apiKey,
    async close() {
      await server.close();
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function preflight(url: string, origin: string, method = 'POST') {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization, content-type',
    },
  });
}

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

describe('MEMGATE_CORS_ORIGINS set to one origin', () => {
  let context: Awaited<ReturnType<typeof startServer>>;
  let server: MemgateServer;
  beforeAll(async () => {
    context = await startServer([ALLOWED]);
    server = context.server;
  });
  afterAll(() => context.close());

  it('answers a REST preflight from the allowed origin with 204 and the CORS headers', async () => {
    const response = await preflight(`${server.url}/v1/chat/completions`, ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('gives a REST preflight from another origin no CORS headers (and no 401)', async () => {
    const response = await preflight(`${server.url}/v1/chat/completions`, OTHER);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('puts the CORS headers on REST responses, errors included, for the allowed origin only', async () => {
    const allowed = await fetch(`${server.url}/v1/agents`, { headers: { origin: ALLOWED } });
    expect(allowed.status).toBe(401);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('retry-after');
    const other = await fetch(`${server.url}/v1/agents`, {
      headers: { origin: OTHER, authorization: `Bearer ${context.apiKey}` },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a GraphQL preflight the same way', async () => {
    const allowed = await preflight(`${server.url}/graphql`, ALLOWED);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(allowed.headers.get('access-control-max-age')).toBe('600');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();

    const other = await preflight(`${server.url}/graphql`, OTHER);
    expect(other.status).toBe(204);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('refuses WebSocket upgrades from another origin with 403 on both paths', async () => {
    const wsUrl = (path: string) => `${server.url}${path}`;
    for (const path of ['/v1/chat/ws', '/graphql']) {
      const protocol: Record<string, string> =
        path === '/graphql' ? { 'sec-websocket-protocol': 'graphql-transport-ws' } : {};
      expect(await upgradeStatus(wsUrl(path), { ...protocol, origin: OTHER })).toBe(403);
      expect(await upgradeStatus(wsUrl(path), { ...protocol, origin: ALLOWED })).toBe(101);
      // No Origin: not a browser, which CORS does not concern.
      expect(await upgradeStatus(wsUrl(path), protocol)).toBe(101);
    }
  });
});

describe('MEMGATE_CORS_ORIGINS unset', () => {
  let context: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    context = await startServer();
  });
  afterAll(() => context.close());

  it('allows no browser origin on REST, GraphQL or WebSocket', async () => {
    const { url } = context.server;
    for (const path of ['/v1/chat/completions', '/graphql']) {
      const response = await preflight(`${url}${path}`, ALLOWED);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    const graphql = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json', authorization: `Bearer ${context.apiKey}` },
      body: JSON.stringify({ query: '{ agents { id } }' }),
    });
    expect(graphql.status).toBe(200);
    expect(graphql.headers.get('access-control-allow-origin')).toBeNull();
    expect(await upgradeStatus(`${url}/v1/chat/ws`, { origin: ALLOWED })).toBe(403);
    expect(await upgradeStatus(`${url}/graphql`, { origin: ALLOWED })).toBe(403);
  });
});
