import type { ChatCompletionChunk, Memgate, Principal, TurnTiming } from '@memgate/core';
import { coreContext, type GraphqlRequestState } from '../request-state.ts';
import { linkedAbort } from './linked-abort.ts';

/** One event of a chat subscription's source: a chunk, or the error that ended a started stream. */
export type ChatStreamEvent = { chunk: ChatCompletionChunk } | { error: unknown };

export interface ChatStreamRequest {
  principal: Principal;
  /** The REST-shaped request body. */
  body: Record<string, unknown>;
  /** The HTTP request's signal (SSE); graphql-ws has none and returns the iterator instead. */
  signal: AbortSignal | undefined;
  /** The request's id, passed to the core; its agent is filled in for the log line. */
  request: GraphqlRequestState;
  /** The conversation the input named (`ChatCompletionInput.conversationId`). */
  conversationId?: string;
}

const done = (): IteratorResult<ChatStreamEvent> => ({ done: true, value: undefined });

/**
 * Starts a streamed turn and returns its events. It awaits the core's first chunk, so a request
 * refused before any output (bad input, unknown agent, upstream down) rejects here and fails the
 * whole subscription; an error after that becomes one last `{ error }` event, which the field
 * resolver throws so that it reaches SSE and graphql-ws clients alike as a GraphQL error on the
 * stream. Returning the iterator (unsubscribe, closed socket or request) aborts the turn's
 * upstream call first — a pending read would otherwise hold the return back — then ends the
 * core's stream, which releases the agent's lock. The request's signal aborting (the client left)
 * returns it too.
 */
export async function openChatStream(
  memgate: Memgate,
  request: ChatStreamRequest,
): Promise<AsyncIterableIterator<ChatStreamEvent>> {
  const abort = linkedAbort(request.signal);
  let chunks: AsyncIterableIterator<ChatCompletionChunk>;
  const timing: TurnTiming = { upstreamMs: 0, upstreamCalls: 0 };
  const call = {
    signal: abort.controller.signal,
    timing,
    context: coreContext(request.request),
    ...(request.conversationId != null && { conversationId: request.conversationId }),
  };
  try {
    chunks = await memgate.chat.stream(request.principal, request.body, call);
  } catch (error) {
    abort.unlink();
    throw error;
  } finally {
    request.request.agentId = timing.agentId ?? null;
  }
  let closed = false;
  // The client's leaving returns the iterator itself: a transport may drop it unread (yoga's SSE
  // response cancelled before its first read never returns it), and a turn that no one reads or
  // returns holds its agent's lock for good.
  const left = () => void events.return?.().catch(() => undefined);
  const close = () => {
    closed = true;
    abort.unlink();
    request.signal?.removeEventListener('abort', left);
  };
  const events: AsyncIterableIterator<ChatStreamEvent> = {
    async next() {
      if (closed) return done();
      try {
        const result = await chunks.next();
        if (!result.done) return { done: false, value: { chunk: result.value } };
        close();
        return done();
      } catch (error) {
        // A read that fails because the subscriber left is no error to report.
        if (closed) return done();
        close();
        return { done: false, value: { error } };
      }
    },
    async return() {
      if (closed) return done();
      close();
      abort.controller.abort(new DOMException('The subscriber left.', 'AbortError'));
      await chunks.return?.();
      return done();
    },
    [Symbol.asyncIterator]: () => events,
  };
  if (request.signal?.aborted) left();
  else request.signal?.addEventListener('abort', left, { once: true });
  return events;
}
