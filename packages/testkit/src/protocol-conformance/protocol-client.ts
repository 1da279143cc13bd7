import type { ChatCompletion, ChatCompletionChunk } from '@memgate/core';
import type { MockUpstream } from '../mock-upstream/index.ts';

/** A protocol's error, reduced to what every protocol can compare: the HTTP-equivalent status. */
export interface ConformanceError {
  status: number;
  message: string;
  /** The request id the error names (REST `error.request_id`, GraphQL `extensions.request_id`, WS `error.request_id`). */
  requestId?: string;
  /** Seconds to wait (REST `Retry-After` / `error.retry_after`, GraphQL `extensions.retryAfter`, WS `error.retry_after`). */
  retryAfter?: number;
}

export type CompleteOutcome = { ok: true; completion: ChatCompletion } | { ok: false; error: ConformanceError };

/**
 * A stream either is refused before it starts (`ok: false`) or yields chunks, possibly ending in
 * an in-band error.
 */
export type StreamOutcome =
  | { ok: true; chunks: ChatCompletionChunk[]; error?: ConformanceError }
  | { ok: false; error: ConformanceError };

/**
 * One protocol seen through a real client. Requests are given in the REST body shape
 * (snake_case, `user` naming the agent); each client translates them to its protocol
 * (GraphQL's camelCase input with `agentId`, the WebSocket `chat.completion.create` frame) and
 * translates the answers back to the REST objects.
 */
export interface ProtocolClient {
  complete(body: Record<string, unknown>, options?: CallOptions): Promise<CompleteOutcome>;
  stream(body: Record<string, unknown>, options?: CallOptions): Promise<StreamOutcome>;
  close(): Promise<void>;
  /**
   * The ids this protocol gives a turn's answer and its chunks: Chat Completions' `chatcmpl-…`
   * unless the protocol has its own (the Responses API's `resp_…`).
   */
  readonly turnIds?: RegExp;
  /**
   * Chat Completions request fields the protocol has no place for (the Responses API has no `seed`
   * or `stop`, and refuses them as OpenAI does); generated requests leave them out.
   */
  readonly absentFields?: readonly string[];
}

/** The pattern of a client's turn ids (`chatcmpl-…` by default). */
export function turnIdsOf(client: ProtocolClient): RegExp {
  return client.turnIds ?? /^chatcmpl-/;
}

/** What a turn names beside its body, each protocol in its own way. */
export interface CallOptions {
  /** REST: the `X-Memgate-Conversation` header; GraphQL: `input.conversationId`; WS: the frame's `conversation_id`. */
  conversationId?: string;
}

/** A running server under test, with the mock upstream behind it. */
export interface ConformanceTarget {
  /** The server's base URL (`http://127.0.0.1:PORT`); its REST API is used for setup. */
  baseUrl: string;
  /** Key of the user who owns the test agents. */
  apiKey: string;
  /** Key of a second user. */
  otherApiKey: string;
  /** A read-only (scope `read`) key of the user who owns the test agents. */
  readApiKey: string;
  upstream: MockUpstream;
  /** A client of the protocol under test, authenticated with `apiKey` (null: no credentials). */
  client(apiKey: string | null): Promise<ProtocolClient>;
  close(): Promise<void>;
}

/** A test harness as a conformance target: its server, keys and upstream, with the protocol's client. */
export function conformanceTarget(
  harness: Omit<ConformanceTarget, 'client'>,
  client: ConformanceTarget['client'],
): ConformanceTarget {
  const { baseUrl, apiKey, otherApiKey, readApiKey, upstream } = harness;
  return { baseUrl, apiKey, otherApiKey, readApiKey, upstream, client, close: () => harness.close() };
}
