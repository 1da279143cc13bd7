import type { ResultError } from './graphql-transport.ts';

/** One GraphQL-over-SSE event as yoga sends it (`event: next|complete`, `data: <result>`). */
export interface SseEvent<Data> {
  event: string;
  data: { data?: Data | null; errors?: ResultError[] } | null;
}

/** Starts a GraphQL operation over SSE (POST, `Accept: text/event-stream`). */
export function postSse(
  url: string,
  apiKey: string | null,
  query: string,
  variables: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (apiKey) headers['authorization'] = `Bearer ${apiKey}`;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal });
}

function parse<Data>(block: string): SseEvent<Data> | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  // Blocks without data are yoga's keep-alive comments.
  if (data.length === 0) return null;
  const text = data.join('\n');
  return { event, data: text === '' ? null : (JSON.parse(text) as SseEvent<Data>['data']) };
}

/** Reads SSE events as they arrive, so a test can act mid-stream. */
export async function* sseEvents<Data>(response: Response): AsyncGenerator<SseEvent<Data>> {
  if (!response.body) throw new Error('The response has no body.');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += decoder.decode(read.value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const parsed = parse<Data>(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (parsed) yield parsed;
      end = buffer.indexOf('\n\n');
    }
  }
}
