/** Pure Server-Sent Events framing shared by every adapter that streams over HTTP. */

/** `data: <json>\n\n` */
export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** The OpenAI end-of-stream sentinel. */
export const SSE_DONE = 'data: [DONE]\n\n';

/** A comment line: keeps proxies from closing an idle stream, ignored by clients. */
export const SSE_KEEPALIVE = ': keep-alive\n\n';

/** Response headers for an SSE stream (no proxy buffering, no transformation). */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};
