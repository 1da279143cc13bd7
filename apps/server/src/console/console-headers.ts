import type { ServerResponse } from 'node:http';

/**
 * The console's Content-Security-Policy: everything from its own origin, nothing inline (no inline
 * script or `style=` attribute), `data:` images only, GraphQL (HTTP and graphql-ws) on the same
 * origin, and no framing, `<base>` or form posts.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets the headers every `/console` response carries, errors and redirects included. */
export function setConsoleSecurityHeaders(response: ServerResponse): void {
  response.setHeader('content-security-policy', CONSOLE_CSP);
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
}
