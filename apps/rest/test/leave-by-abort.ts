import type { LeavableStream } from '@memgate/testkit';

/** Whether a Chat Completions SSE body carries reply text. */
const hasText = (text: string) => /"delta":\{[^}]*"content":"[^"]/.test(text);

/**
 * Leaves a streamed turn by aborting its request once text arrived: `POST /v1/chat/completions`
 * by default, or another route with its own body and test for reply text.
 */
export function leaveByAbort(
  baseUrl: string,
  apiKey: string,
  route: { path: string; body(body: Record<string, unknown>): unknown; hasText(text: string): boolean } = {
    path: '/v1/chat/completions',
    body: (body) => body,
    hasText,
  },
): LeavableStream {
  return async (body, until) => {
    const controller = new AbortController();
    const started = fetch(`${baseUrl}${route.path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(route.body(body)),
      signal: controller.signal,
    });
    if (until === 'sent') {
      // Whatever answer comes (a 502, chunks, the abort) is the race's; the leave is what counts.
      started.then((response) => response.body?.cancel()).catch(() => {});
      return () => controller.abort();
    }
    const response = await started;
    if (!response.ok || !response.body) throw new Error(`refused: ${response.status} ${await response.text()}`);
    const decoder = new TextDecoder();
    let text = '';
    for await (const bytes of response.body) {
      text += decoder.decode(bytes, { stream: true });
      if (route.hasText(text)) return () => controller.abort();
    }
    throw new Error('the stream ended before its first text');
  };
}
