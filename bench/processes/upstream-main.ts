/**
 * The mock upstream LLM in its own process. By default it echoes (one `send_message` call per
 * request, so every memgate turn is exactly one upstream call); `configure` switches it to a fixed
 * streamed reply with a known pace, for time-to-first-token and relay-rate measurements.
 * `last-request` returns the body of the last chat request received, so a benchmark can replay
 * exactly what memgate sent.
 */
import { echoResponder, type RecordedRequest, type Responder, sendMessage, startMockUpstream } from '@memgate/testkit';
import { failToParent, type ParentRequest, serveParent } from '../child-process.ts';

/** What the upstream child reports when ready. */
export interface UpstreamReady {
  url: string;
}

/** The `last-request` reply: the last chat request's body, serialised again, and what it claimed to be. */
export interface LastUpstreamRequest {
  /** `JSON.stringify` of the body as parsed: the same bytes as a client that serialises with `JSON.stringify`. */
  body: string;
  /** The `content-length` header the sender set, when it set one, to check the re-serialisation against. */
  contentLength: number | null;
}

/** The `configure` request: a fixed reply streamed at a known pace, or back to echo. */
export interface UpstreamPace {
  reply?: string;
  chunkSize?: number;
  chunkDelayMs?: number;
}

function lastRequest(recorded: RecordedRequest | undefined): LastUpstreamRequest {
  if (!recorded) throw new Error('the upstream has received no chat request');
  const length = Number(recorded.headers['content-length']);
  return { body: JSON.stringify(recorded.body), contentLength: Number.isFinite(length) ? length : null };
}

try {
  let current: Responder = echoResponder;
  const upstream = await startMockUpstream({ defaultResponder: (request) => current(request) });
  // The mock records every request for tests; under load that is an unbounded, growing heap. The
  // last one is kept: `last-request` reads it, and emptying the record between memgate's upstream
  // call and that read would lose it.
  const forget = setInterval(() => {
    upstream.requests.splice(0, upstream.requests.length - 1);
  }, 200);
  serveParent<UpstreamReady>(
    { url: upstream.url },
    async (request: ParentRequest) => {
      if (request.type === 'last-request') return lastRequest(upstream.requests.at(-1));
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
