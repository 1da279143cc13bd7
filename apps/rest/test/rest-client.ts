import type { ChatCompletion, ChatCompletionChunk } from '@memgate/core';
import type { CallOptions, CompleteOutcome, ConformanceError, ProtocolClient, StreamOutcome } from '@memgate/testkit';

interface ErrorPayload {
  error?: { message?: string; status?: number; request_id?: string; retry_after?: number };
}

/** The conformance view of an error object; `retryAfter` only when the error has one. */
function conformanceError(status: number, error: ErrorPayload['error']): ConformanceError {
  const reported: ConformanceError = { status, message: error?.message ?? '' };
  if (error?.request_id !== undefined) reported.requestId = error.request_id;
  if (error?.retry_after !== undefined) reported.retryAfter = error.retry_after;
  return reported;
}

/** Reads an SSE body into its `data:` payloads (without `[DONE]`), checking `[DONE]` ends it. */
export async function readSse(response: Response): Promise<{ events: unknown[]; done: boolean }> {
  const text = await response.text();
  const events: unknown[] = [];
  let done = false;
  for (const block of text.split('\n\n')) {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6))
      .join('\n');
    if (!data) continue;
    if (data === '[DONE]') done = true;
    else events.push(JSON.parse(data));
  }
  return { events, done };
}

/** The REST protocol through plain fetch (the official SDK is exercised in its own tests). */
export function restClient(baseUrl: string, apiKey: string | null): ProtocolClient {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey) headers['authorization'] = `Bearer ${apiKey}`;
  const post = (body: Record<string, unknown>, options: CallOptions = {}) => {
    const named: Record<string, string> = { ...headers };
    if (options.conversationId) named['x-memgate-conversation'] = options.conversationId;
    return fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: named,
      body: JSON.stringify(body),
    });
  };
  const failure = async (response: Response) => {
    const payload = (await response.json()) as ErrorPayload;
    const error = conformanceError(response.status, payload.error);
    // The header and the body must agree; the header is what HTTP clients read.
    const header = response.headers.get('retry-after');
    if (String(error.retryAfter ?? null) !== String(header ?? null)) {
      throw new Error(`Retry-After header ${header} disagrees with error.retry_after ${error.retryAfter}`);
    }
    return { ok: false as const, error };
  };
  return {
    async complete(body, options): Promise<CompleteOutcome> {
      const response = await post(body, options);
      if (!response.ok) return failure(response);
      return { ok: true, completion: (await response.json()) as ChatCompletion };
    },
    async stream(body, options): Promise<StreamOutcome> {
      const response = await post({ ...body, stream: true }, options);
      if (!response.ok) return failure(response);
      const { events, done } = await readSse(response);
      if (!done) throw new Error('The stream did not end with [DONE].');
      const last = events.at(-1) as ErrorPayload | undefined;
      const chunks = events.filter((event) => !(event as ErrorPayload).error) as ChatCompletionChunk[];
      if (last?.error) {
        return { ok: true, chunks, error: conformanceError(last.error.status ?? 0, last.error) };
      }
      return { ok: true, chunks };
    },
    async close() {},
  };
}
