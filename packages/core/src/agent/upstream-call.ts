import type { LlmProvider, LlmRequest, LlmResult } from '../llm/provider.ts';
import { sendMessageDefinition } from './base-tools.ts';
import { type ReplyWriter, SendMessageStream } from './reply-writer.ts';
import type { TurnEvent, TurnInput } from './turn-types.ts';

const NONE: ReadonlySet<number> = new Set();

/** What one upstream call of the turn produced. */
export interface UpstreamCall {
  result: LlmResult;
  /** Indexes of send_message calls whose text was already relayed while streaming. */
  streamedSends: ReadonlySet<number>;
}

/** Set as soon as a call relays anything to the client: from then on it cannot be retried. */
export interface CallProgress {
  relayed: boolean;
}

/** One upstream call; while streaming, relays send_message text as it is generated. */
export async function* callUpstream(
  provider: LlmProvider,
  input: TurnInput,
  request: LlmRequest,
  reply: ReplyWriter,
  progress: CallProgress,
): AsyncGenerator<TurnEvent, UpstreamCall> {
  const started = performance.now();
  input.timing.upstreamCalls++;
  try {
    if (!input.streaming) {
      return { result: await provider.generate(request, { signal: input.signal }), streamedSends: NONE };
    }
    const sends = new Map<number, SendMessageStream>();
    let result: LlmResult | undefined;
    for await (const event of provider.stream(request, { signal: input.signal })) {
      if (event.type === 'done') result = event.result;
      else if (event.type === 'tool_call') {
        let send = sends.get(event.index);
        // A structured reply is held until it validates: the client never sees JSON that fails.
        if (!send && !input.replyFormat && event.name === sendMessageDefinition.function.name) {
          send = new SendMessageStream(reply);
          sends.set(event.index, send);
        }
        const delta = send?.push(event.argumentsDelta);
        if (delta) {
          progress.relayed = true;
          yield { type: 'content', delta } satisfies TurnEvent;
        }
      }
    }
    if (!result) throw new Error('Upstream stream ended without a result.');
    const streamedSends = new Set([...sends].filter(([, send]) => send.hasText).map(([index]) => index));
    return { result, streamedSends };
  } finally {
    input.timing.upstreamMs += performance.now() - started;
  }
}
