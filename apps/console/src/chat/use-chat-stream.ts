import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import type { MessageInput } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { shownError } from '../graphql/errors.ts';
import { readSource } from './read-source.ts';
import { applyChunk, endStream, type StreamState, startStream } from './stream-state.ts';

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
 */
export function useChatStream() {
  const client = useClient();
  const [live, setLive] = useState<StreamState | null>(null);
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => () => stop.current?.(), []);

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
      const finish = (error: ReturnType<typeof shownError> | null) => {
        const ended = endStream(state, error && { message: error.message, requestId: error.requestId });
        if (ended === state) return;
        state = ended;
        setLive(state);
        request.onEnd(state);
      };
      stop.current = readSource(client.subscription(ChatStream, { input }), {
        next: (result) => {
          if (result.error) return finish(shownError(result.error));
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

  const clear = useCallback(() => setLive(null), []);
  return { live, send, clear };
}
