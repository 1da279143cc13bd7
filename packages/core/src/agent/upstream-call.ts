import type { LlmCallOptions, LlmProvider, LlmRequest, LlmResult } from '../llm/provider.ts';
import { upstreamStatusOf } from '../telemetry/request-id.ts';
import type { SpanStart, TelemetrySpan } from '../telemetry/telemetry.ts';
import { withIdentityHeaders, withSafetyIdentifier } from '../usage/upstream-identity.ts';
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

/**
 * Starts an upstream call's span under `parent`, else the running step (or the turn), and its call
 * options, which say upstream whose call it is (`x-memgate-user`, `x-memgate-agent`).
 */
export function startUpstreamCall(
  input: TurnInput,
  attributes: SpanStart['upstream'],
  parent?: TelemetrySpan,
): { span: TelemetrySpan<'upstream'>; options: LlmCallOptions } {
  const span = (parent ?? input.trace.step ?? input.trace.span).child('upstream', attributes);
  const headers = { ...span.propagation(), 'x-request-id': input.trace.requestId };
  return { span, options: withIdentityHeaders({ signal: input.signal, headers }, callIdentity(input)) };
}

/** The request as it goes upstream for the turn: with the turn's `safety_identifier` unless the client set one. */
export function identifiedRequest(input: TurnInput, request: LlmRequest): LlmRequest {
  return withSafetyIdentifier(request, callIdentity(input));
}

function callIdentity(input: TurnInput) {
  return { userId: input.agent.userId, agentId: input.agent.id };
}

/** Ends an upstream call's span with its result or its failure. */
export function endUpstreamCall(span: TelemetrySpan<'upstream'>, result: LlmResult | undefined, error?: unknown): void {
  if (error === undefined && result) {
    span.end({ usage: result.usage, finishReason: result.finishReason, status: null, response: result });
  } else span.end({ usage: null, finishReason: null, status: upstreamStatusOf(error) }, error);
}

/** One upstream call; while streaming, relays send_message text as it is generated. */
export async function* callUpstream(
  provider: LlmProvider,
  input: TurnInput,
  asked: LlmRequest,
  reply: ReplyWriter,
  progress: CallProgress & { attempt?: number },
): AsyncGenerator<TurnEvent, UpstreamCall> {
  const started = performance.now();
  const startedAt = Date.now();
  input.timing.upstreamCalls++;
  const request = identifiedRequest(input, asked);
  const attributes = { model: request.model, streaming: input.streaming, purpose: 'step' as const };
  const attempt = progress.attempt ?? 1;
  const { span, options } = startUpstreamCall(input, { ...attributes, attempt, messages: request.messages });
  let result: LlmResult | undefined;
  let failure: unknown;
  try {
    if (!input.streaming) {
      result = await provider.generate(request, options);
      return { result, streamedSends: NONE };
    }
    const sends = new Map<number, SendMessageStream>();
    for await (const event of provider.stream(request, options)) {
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
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    const latencyMs = performance.now() - started;
    input.timing.upstreamMs += latencyMs;
    // A consumer that stops early (the client left) ends the call as cancelled.
    const error = failure ?? (result ? undefined : new DOMException('Abandoned.', 'AbortError'));
    endUpstreamCall(span, result, error);
    input.usage?.add({
      model: request.model,
      purpose: 'step',
      startedAt,
      latencyMs,
      ...(result && { usage: result.usage }),
      ...(error !== undefined && { error }),
    });
  }
}
