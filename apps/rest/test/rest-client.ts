import type { ChatCompletion, ChatCompletionChunk } from '@memgate/core';
import type { CompleteOutcome, ProtocolClient, StreamOutcome } from '@memgate/testkit';

interface ErrorPayload {
  error?: { message?: string; status?: number };
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
  const post = (body: Record<string, unknown>) =>
    fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
  const failure = async (response: Response) => {
    const payload = (await response.json()) as ErrorPayload;
    return { ok: false as const, error: { status: response.status, message: payload.error?.message ?? '' } };
  };
  return {
    async complete(body): Promise<CompleteOutcome> {
      const response = await post(body);
      if (!response.ok) return failure(response);
      return { ok: true, completion: (await response.json()) as ChatCompletion };
    },
    async stream(body): Promise<StreamOutcome> {
      const response = await post({ ...body, stream: true });
      if (!response.ok) return failure(response);
      const { events, done } = await readSse(response);
      if (!done) throw new Error('The stream did not end with [DONE].');
      const last = events.at(-1) as ErrorPayload | undefined;
      const chunks = events.filter((event) => !(event as ErrorPayload).error) as ChatCompletionChunk[];
      if (last?.error) {
        return { ok: true, chunks, error: { status: last.error.status ?? 0, message: last.error.message ?? '' } };
      }
      return { ok: true, chunks };
    },
    async close() {},
  };
}
