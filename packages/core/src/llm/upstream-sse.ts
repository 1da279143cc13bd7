import type { IncomingHttpHeaders } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { toHeaders, type UpstreamResponse } from './upstream-client.ts';
import { UpstreamApiError } from './upstream-errors.ts';

const DONE = Symbol('[DONE]');

/** One SSE event as a JSON chunk, with the `openai` SDK's rules: `[DONE]` ends, error events throw. */
function decode(event: EventSourceMessage, headers: IncomingHttpHeaders): unknown {
  if (event.data === '[DONE]') return DONE;
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    throw new SyntaxError('Error reading response: malformed server-sent event JSON.');
  }
  if (event.event?.startsWith('thread.')) return { event: event.event, data };
  const error = (data as { error?: unknown } | null)?.error;
  if (event.event === 'error') throw new UpstreamApiError(undefined, error ?? data, undefined, toHeaders(headers));
  if (error) throw new UpstreamApiError(undefined, error, undefined, toHeaders(headers));
  return data;
}

/**
 * The JSON chunks of an SSE answer, parsed with `eventsource-parser`'s callback parser fed straight
 * from the body (no web streams). Ends at `[DONE]` (the rest is not read; the caller's signal, aborted
 * when the call is over, closes a connection still sending) or at the end of the body, where an event
 * lacking its closing blank line still counts.
 */
export async function* sseJson(response: UpstreamResponse): AsyncGenerator<unknown, void, undefined> {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const { body, headers } = response;
  // undici's `setEncoding` does not decode a flowing body: bytes are decoded here, and a character
  // split across two chunks is joined by the decoder's streaming mode.
  const decoder = new TextDecoder();
  // Not destroyed on leaving: destroying a body that has not emitted 'end' builds an AbortError (and
  // its stack) per stream. A request still in flight is cancelled by the caller's signal instead.
  for await (const bytes of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    if (events.length === 0) continue;
    for (const event of events.splice(0)) {
      const chunk = decode(event, headers);
      if (chunk === DONE) return;
      yield chunk;
    }
  }
  parser.feed(`${decoder.decode()}\n\n`);
  for (const event of events.splice(0)) {
    const chunk = decode(event, headers);
    if (chunk === DONE) return;
    yield chunk;
  }
}
