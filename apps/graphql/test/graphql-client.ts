import type { ChatCompletionChunk } from '@memgate/core';
import type { CallOptions, CompleteOutcome, ConformanceError, ProtocolClient, StreamOutcome } from '@memgate/testkit';
import { UNAUTHORIZED_CLOSE_CODE } from '../src/index.ts';
import { COMPLETE, STREAM } from './graphql-operations.ts';
import { collect, postGraphql, type ResultError, wsClient } from './graphql-transport.ts';
import { type ChunkFields, type CompletionFields, graphqlInput, restChunk, restCompletion } from './rest-shapes.ts';

/** The HTTP-equivalent status a GraphQL error carries in `extensions.status`. */
export function conformanceError(errors: readonly ResultError[]): ConformanceError {
  const first = errors[0];
  const status = first?.extensions?.['status'];
  const error: ConformanceError = { status: typeof status === 'number' ? status : 0, message: first?.message ?? '' };
  const requestId = first?.extensions?.['request_id'];
  const retryAfter = first?.extensions?.['retryAfter'];
  if (typeof requestId === 'string') error.requestId = requestId;
  if (typeof retryAfter === 'number') error.retryAfter = retryAfter;
  return error;
}

/** The input with `conversationId` when the call names a conversation. */
function withConversation(input: Record<string, unknown>, options: CallOptions | undefined): Record<string, unknown> {
  return options?.conversationId ? { ...input, conversationId: options.conversationId } : input;
}

/**
 * The GraphQL protocol through real clients: `createChatCompletion` over HTTP (fetch), and
 * `chatCompletionStream` over graphql-ws (one connection per client, opened on first use).
 * Errors before the first chunk are a refusal; errors after it are the stream's in-band error.
 */
export function graphqlClient(urls: { graphqlUrl: string; wsUrl: string }, apiKey: string | null): ProtocolClient {
  const ws = wsClient(urls.wsUrl, apiKey);
  return {
    async complete(body, options): Promise<CompleteOutcome> {
      const response = await postGraphql<{ createChatCompletion: CompletionFields }>(
        urls.graphqlUrl,
        apiKey,
        COMPLETE,
        { input: withConversation(graphqlInput(body), options) },
      );
      if (response.errors?.length) return { ok: false, error: conformanceError(response.errors) };
      if (!response.data) throw new Error('A GraphQL response with neither data nor errors.');
      return { ok: true, completion: restCompletion(response.data.createChatCompletion) };
    },
    async stream(body, options): Promise<StreamOutcome> {
      const input = withConversation(graphqlInput(body), options);
      const record = await collect<{ chatCompletionStream: ChunkFields }>(ws, STREAM, { input });
      const chunks: ChatCompletionChunk[] = [];
      let error: ConformanceError | undefined;
      for (const result of record.results) {
        if (result.errors?.length) error ??= conformanceError(result.errors);
        else if (result.data) chunks.push(restChunk(result.data.chatCompletionStream));
      }
      if (Array.isArray(record.failure)) error ??= conformanceError(record.failure);
      else if (record.failure) {
        const status = record.failure.code === UNAUTHORIZED_CLOSE_CODE ? 401 : 0;
        error ??= { status, message: `closed ${record.failure.code}: ${record.failure.reason}` };
      }
      if (error && chunks.length === 0) return { ok: false, error };
      return error ? { ok: true, chunks, error } : { ok: true, chunks };
    },
    async close() {
      await ws.dispose();
    },
  };
}
