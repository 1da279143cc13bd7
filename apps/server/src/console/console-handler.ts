import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { type ErrorCode, MemgateError, toErrorBody } from '@memgate/core';
import type { RequestListener } from '@memgate/runtime';
import send from 'send';
import { setConsoleSecurityHeaders } from './console-headers.ts';
import { parseConsolePath } from './console-path.ts';

/** Hashed file names change with their content: a year, never revalidated. */
const ASSET_CACHE = { cacheControl: true, maxAge: '1y', immutable: true } as const;

/** How to build the console, told by the 503 when it is not built. */
export const CONSOLE_BUILD_HINT =
  'The console is not built. Build it with `npx pnpm build` (or `npx pnpm --filter @memgate/console build`) and reload.';

/** Writes an error in the contract's JSON shape (`detail` + `error`), with an explicit status. */
function writeError(response: ServerResponse, status: number, code: ErrorCode, message: string, detailCode: string) {
  const body = JSON.stringify(toErrorBody(new MemgateError(code, message, { detailCode })));
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.setHeader('cache-control', 'no-store');
  response.end(body);
}

function notFound(response: ServerResponse): void {
  writeError(response, 404, 'NOT_FOUND', 'No such file in the console.', 'not_found');
}

/** Streams one file of the build with `send` (ETag, Last-Modified, HEAD, ranges), errors as JSON. */
function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  directory: string,
  path: string,
  options: send.SendOptions,
): void {
  send(request, path, { root: directory, index: false, dotfiles: 'ignore', ...options })
    .on('directory', () => notFound(response))
    .on('error', (error: { status?: number }) => {
      const status = error.status ?? 500;
      if (status === 404) notFound(response);
      else if (status >= 500)
        writeError(response, status, 'INTERNAL_SERVER_ERROR', 'Internal server error.', 'internal_server_error');
      else writeError(response, status, 'BAD_REQUEST', 'The request cannot be served.', 'bad_request');
    })
    .pipe(response);
}

/**
 * Serves the built console (a directory holding `index.html` and `assets/`) under `/console`:
 * the app's page for `/console/` and its client-side routes (never cached, so a new build is
 * picked up), hashed assets cached for a year, and a strict CSP on every answer.
 */
export function createConsoleHandler(directory: string | undefined): RequestListener {
  return (request, response) => {
    setConsoleSecurityHeaders(response);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      writeError(response, 405, 'BAD_REQUEST', `${request.method} is not allowed on /console.`, 'method_not_allowed');
      return;
    }
    const target = parseConsolePath(request.url ?? '/console');
    if (target.kind === 'bad') {
      writeError(response, 400, 'BAD_REQUEST', target.reason, 'bad_path');
      return;
    }
    if (target.kind === 'redirect') {
      response.writeHead(308, { location: target.location, 'content-length': 0 }).end();
      return;
    }
    if (directory === undefined || !existsSync(join(directory, 'index.html'))) {
      writeError(response, 503, 'SERVICE_UNAVAILABLE', CONSOLE_BUILD_HINT, 'console_not_built');
      return;
    }
    if (target.kind === 'asset') {
      sendFile(request, response, directory, target.path, ASSET_CACHE);
      return;
    }
    response.setHeader('cache-control', 'no-cache');
    sendFile(request, response, directory, target.kind === 'index' ? '/index.html' : target.path, {
      cacheControl: false,
    });
  };
}
