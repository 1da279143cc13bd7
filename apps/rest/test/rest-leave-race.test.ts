import { type LeavableStream, runLeaveRaceConformance } from '@memgate/testkit';
import { restClient } from './rest-client.ts';
import { startRestHarness } from './rest-harness.ts';

/** Whether an SSE event block carries reply text. */
const hasText = (block: string) => /"delta":\{[^}]*"content":"[^"]/.test(block);

/** Leaves a streamed `POST /v1/chat/completions` by aborting its request once text arrived. */
function leaveByAbort(baseUrl: string, apiKey: string): LeavableStream {
  return async (body, until) => {
    const controller = new AbortController();
    const started = fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
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
      if (hasText(text)) return () => controller.abort();
    }
    throw new Error('the stream ended before its first text');
  };
}

let target: { baseUrl: string; apiKey: string } | undefined;
runLeaveRaceConformance(
  'REST SSE (aborted request)',
  async () => {
    const harness = await startRestHarness();
    target = harness;
    return {
      ...harness,
      client: async (apiKey) => restClient(harness.baseUrl, apiKey),
      close: () => harness.close(),
    };
  },
  () => leaveByAbort(target!.baseUrl, target!.apiKey),
);
