import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CORS_EXPOSED_HEADERS,
  CORS_MAX_AGE_SECONDS,
  type CorsOrigins,
  corsAllowedOrigin,
  MemgateError,
} from '@memgate/core';

const ALLOWED_HEADERS =
  'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id, x-request-id';
const EXPOSED_HEADERS = [...CORS_EXPOSED_HEADERS, 'mcp-session-id', 'mcp-protocol-version', 'www-authenticate'].join(
  ', ',
);

/**
 * CORS for `/mcp` (MEMGATE_CORS_ORIGINS, as on every protocol), and the MCP spec's Origin check
 * against DNS rebinding: a browser request from an origin that is not listed gets 403. Returns
 * true when it answered (a preflight, or a refusal).
 */
export function handleCors(request: IncomingMessage, response: ServerResponse, origins: CorsOrigins): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  const allowed = corsAllowedOrigin(origins, origin);
  if (!allowed) {
    throw new MemgateError('FORBIDDEN', `Origin ${origin} is not allowed (MEMGATE_CORS_ORIGINS).`, {
      detailCode: 'origin_not_allowed',
    });
  }
  response.setHeader('access-control-allow-origin', allowed);
  response.setHeader('vary', 'Origin');
  response.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  if (request.method !== 'OPTIONS') return false;
  response.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, DELETE',
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    'content-length': '0',
  });
  response.end();
  return true;
}
