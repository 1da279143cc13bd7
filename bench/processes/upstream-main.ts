/**
 * The mock upstream LLM in its own process. By default it echoes (one `send_message` call per
 * request, so every memgate turn is exactly one upstream call); `configure` switches it to a fixed
 * streamed reply with a known pace, for time-to-first-token and relay-rate measurements.
 */
import { echoResponder, type Responder, sendMessage, startMockUpstream } from '@memgate/testkit';
import { failToParent, type ParentRequest, serveParent } from '../child-process.ts';

/** What the upstream child reports when ready. */
export interface UpstreamReady {
  url: string;
}

/** The `configure` request: a fixed reply streamed at a known pace, or back to echo. */
export interface UpstreamPace {
  reply?: string;
  chunkSize?: number;
  chunkDelayMs?: number;
}

try {
  let current: Responder = echoResponder;
  const upstream = await startMockUpstream({ defaultResponder: (request) => current(request) });
  // The mock records every request for tests; under load that is an unbounded, growing heap.
  const forget = setInterval(() => {
    upstream.requests.length = 0;
  }, 200);
  serveParent<UpstreamReady>(
    { url: upstream.url },
    async (request: ParentRequest) => {
      if (request.type !== 'configure') throw new Error(`unknown request ${request.type}`);
      const pace = request['pace'] as UpstreamPace;
      const { reply, ...timing } = pace;
      current = reply === undefined ? echoResponder : () => sendMessage(reply, timing);
      return 'configured';
    },
    async () => {
      clearInterval(forget);
      await upstream.close();
    },
  );
} catch (error) {
  failToParent(error);
}
