import type { ServerResponse } from 'node:http';

/**
 * Answers with a JSON body exactly as Express's `response.json` does with this app's settings (no
 * ETag, no JSON replacer or spacing): `Content-Type: application/json; charset=utf-8` and
 * `Content-Length`, then one `end`, which leaves with the headers in one write. It skips the
 * settings look-ups, the MIME and charset parsing and the freshness check Express runs per answer.
 */
export function sendJson(response: ServerResponse, body: unknown): void {
  const json = JSON.stringify(body);
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(json));
  response.end(json);
}
