import { type LeavableStream, runLeaveRaceConformance } from '@memgate/testkit';
import { startRestHarness } from './rest-harness.ts';
import { restClient } from './rest-client.ts';

/** Whether an SSE event block carries reply text. */
const hasText = (block: string) => /"delta":\{[^}]*"content":"[^"]/.test(block);

/** Leaves a streamed `POST /v1/chat/completions` by aborting its request once text arrived. */
function leaveByAbort(baseUrl: string, apiKey: string): LeavableStream {
  return async (body) => {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
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
