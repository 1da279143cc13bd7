import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { useAuth } from '../auth/auth-context.tsx';
import type { MessageInput } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { shownError } from '../graphql/errors.ts';
import { readSource } from './read-source.ts';
import { applyChunk, endStream, type StreamError, type StreamState, startStream } from './stream-state.ts';

const ChatStream = graphql(`
  subscription ChatStream($input: ChatCompletionInput!) {
    chatCompletionStream(input: $input) {
      id
      choices {
        delta {
          content
        }
        finishReason
        stopReason {
          message
        }
      }
    }
  }
`);

export interface SendRequest {
  agentId: string;
  conversationId: string | null;
  /** The new messages: one user message, or the tool messages answering pending calls. */
  messages: MessageInput[];
  /** Shown as the user's message while the turn runs (empty for tool answers). */
  userText: string;
  knownIds: ReadonlySet<string>;
  /** Called once the stream ended, however it ended (the caller refetches the stored messages). */
  onEnd(state: StreamState): void;
}

/**
 * One streamed turn at a time over `chatCompletionStream` (graphql-ws): the reply accumulates
 * chunk by chunk; an error, before the first chunk or in band, ends it as failed with the
 * server's message and request id. Leaving the page stops reading, which ends the turn upstream.
 *
 * A socket that drops mid-turn ends the stream here: graphql-ws would otherwise subscribe again
 * once it reconnects, which runs the turn a second time (the user message stored twice). What
 * the server did meanwhile comes back with the refetch after the reconnect.
 */
export function useChatStream() {
  const client = useClient();
  const [live, setLive] = useState<StreamState | null>(null);
  const stop = useRef<(() => void) | null>(null);
  const abandon = useRef<((error: StreamError) => void) | null>(null);
  const { linkState } = useAuth();
  useEffect(() => () => stop.current?.(), []);
  useEffect(() => {
    if (linkState !== 'reconnecting' && linkState !== 'unauthorized') return;
    abandon.current?.({
      message:
        'The connection dropped during the reply. What the agent stored shows once it is back; send again if your message is missing.',
      requestId: null,
    });
  }, [linkState]);

  const send = useCallback(
    (request: SendRequest) => {
      stop.current?.();
      let state = startStream(request.userText, request.knownIds);
      setLive(state);
      const input = {
        agentId: request.agentId,
        messages: request.messages,
        ...(request.conversationId && { conversationId: request.conversationId }),
      };
      const finish = (error: StreamError | null) => {
        const ended = endStream(state, error);
        if (ended === state) return;
        state = ended;
        abandon.current = null;
        setLive(state);
        request.onEnd(state);
      };
      abandon.current = (error) => {
        stop.current?.();
        finish(error);
      };
      stop.current = readSource(client.subscription(ChatStream, { input }), {
        next: (result) => {
          if (result.error) {
            const shown = shownError(result.error);
            return finish({ message: shown.message, requestId: shown.requestId });
          }
          const chunk = result.data?.chatCompletionStream;
          if (!chunk) return;
          state = applyChunk(state, chunk);
          setLive(state);
        },
        end: () => finish(null),
      });
    },
    [client],
  );

  /** Drops the live copy of this turn (once the stored messages have it), not of a later one. */
  const clear = useCallback((ended: StreamState) => setLive((current) => (current === ended ? null : current)), []);
  return { live, send, clear };
}
