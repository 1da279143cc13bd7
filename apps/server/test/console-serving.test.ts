import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, startMockUpstream } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../src/console/index.ts';
import { type MemgateServerOptions, startMemgateServer } from '../src/index.ts';

const INDEX =
  '<!doctype html><title>console</title><script type="module" src="/console/assets/app-1a2b3c.js"></script>';
const SCRIPT = 'console.log("app");';

/** A built console in a temp directory: index.html and one hashed asset. */
function fakeBuild(): string {
  const directory = mkdtempSync(join(tmpdir(), 'memgate-console-dist-'));
  mkdirSync(join(directory, 'assets'));
  writeFileSync(join(directory, 'index.html'), INDEX);
  writeFileSync(join(directory, 'assets', 'app-1a2b3c.js'), SCRIPT);
  writeFileSync(join(directory, '.secret'), 'not for you');
  return directory;
}

async function startServer(options: Partial<MemgateServerOptions>) {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-console-'));
  const test = await createTestMemgate({ store: SqliteStore.open(dataDir), upstreamUrl: upstream.url });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0, ...options });
  return {
    server,
    async close() {
      await server.close();
      await test.memgate.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A raw request, so that paths reach the server exactly as written (fetch would normalise `..`). */
function rawRequest(
  url: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { path, method, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

function expectSecurityHeaders(headers: Record<string, unknown>) {
  expect(headers['content-security-policy']).toBe(CONSOLE_CSP);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

function expectJsonError(response: { headers: Record<string, unknown>; body: string }, code: string) {
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(response.body) as { detail: string; error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.detail).toBe(body.error.message);
  return body;
}

describe('the console at /console, built', () => {
  let context: Awaited<ReturnType<typeof startServer>>;
  let url: string;
  let directory: string;
  beforeAll(async () => {
    directory = fakeBuild();
    context = await startServer({ consoleDirectory: directory });
    url = context.server.url;
  });
  afterAll(async () => {
    await context.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('redirects /console to /console/ with 308, keeping the query', async () => {
    for (const [path, location] of [
      ['/console', '/console/'],
      ['/console?x=1', '/console/?x=1'],
    ] as const) {
      const response = await rawRequest(url, path);
      expect(response.status).toBe(308);
      expect(response.headers.location).toBe(location);
      expectSecurityHeaders(response.headers);
    }
    expect(context.server.consoleUrl).toBe(`${url}/console/`);
  });

  it('serves index.html at /console/ and for client-side routes, never cached', async () => {
    for (const path of ['/console/', '/console/agents/a1', '/console/usage?x=1']) {
      const response = await rawRequest(url, path);
      expect(response.status, path).toBe(200);
      expect(response.body).toBe(INDEX);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expectSecurityHeaders(response.headers);
    }
  });

  it('serves hashed assets for a year, immutable, with validators', async () => {
    const response = await rawRequest(url, '/console/assets/app-1a2b3c.js');
    expect(response.status).toBe(200);
    expect(response.body).toBe(SCRIPT);
    expect(response.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers.etag).toBeTruthy();
    expectSecurityHeaders(response.headers);
    const head = await rawRequest(url, '/console/assets/app-1a2b3c.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(SCRIPT.length));
  });

  it('answers 304 to a conditional GET of an asset', async () => {
    // Raw requests: fetch adds `cache-control: no-cache` to a conditional request, which forbids a 304.
    const first = await rawRequest(url, '/console/assets/app-1a2b3c.js');
    const etag = String(first.headers.etag);
    const second = await rawRequest(url, '/console/assets/app-1a2b3c.js', 'GET', { 'if-none-match': etag });
    expect(second.status).toBe(304);
    expect(second.body).toBe('');
    expectSecurityHeaders(second.headers);
  });

  it('answers 404 in the error shape for a missing asset, a missing file and a dotfile, never index.html', async () => {
    for (const path of [
      '/console/assets/missing-000.js',
      '/console/missing.png',
      '/console/.secret',
      '/console/assets',
    ]) {
      const response = await rawRequest(url, path);
      expect(response.status, path).toBe(404);
      expectJsonError(response, 'not_found');
      expectSecurityHeaders(response.headers);
    }
  });

  it('refuses traversal, encoded separators, NUL bytes and malformed escapes with 400', async () => {
    for (const path of [
      '/console/../package.json',
      '/console/assets/../../index.html',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/assets%2f..%2f..%2fpackage.json',
      '/console/%00index.html',
      '/console/%E0%A4%A',
      '/console/..%5c..%5cpackage.json',
    ]) {
      const response = await rawRequest(url, path);
      expect(response.status, path).toBe(400);
      expectJsonError(response, 'bad_path');
      expectSecurityHeaders(response.headers);
    }
  });

  it('answers other methods with 405 and Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const response = await rawRequest(url, '/console/', method);
      expect(response.status, method).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
      expectJsonError(response, 'method_not_allowed');
      expectSecurityHeaders(response.headers);
    }
  });

  it('leaves the other protocols alone', async () => {
    const response = await rawRequest(url, '/healthz');
    expect(response.status).toBe(200);
    expect(response.headers['content-security-policy']).toBeUndefined();
    const prefixed = await rawRequest(url, '/consoles');
    expect(prefixed.status).toBe(404);
    expect(prefixed.headers['content-security-policy']).toBeUndefined();
  });
});

describe('the console, not built', () => {
  it('answers 503 saying how to build it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'memgate-console-empty-'));
    const context = await startServer({ consoleDirectory: empty });
    try {
      for (const path of ['/console/', '/console/assets/app.js']) {
        const response = await rawRequest(context.server.url, path);
        expect(response.status).toBe(503);
        const body = expectJsonError(response, 'console_not_built');
        expect(body.error.message).toMatch(/--filter @memgate\/console build/);
        expectSecurityHeaders(response.headers);
      }
    } finally {
      await context.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('MEMGATE_CONSOLE=off', () => {
  it('answers 404 at /console, as for any unknown path', async () => {
    const directory = fakeBuild();
    const context = await startServer({ console: false, consoleDirectory: directory });
    try {
      expect(context.server.consoleUrl).toBeUndefined();
      for (const path of ['/console', '/console/', '/console/assets/app-1a2b3c.js']) {
        const response = await rawRequest(context.server.url, path);
        expect(response.status, path).toBe(404);
        expect(response.body).not.toContain(SCRIPT);
        expect(response.headers['content-security-policy']).toBeUndefined();
      }
    } finally {
      await context.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
