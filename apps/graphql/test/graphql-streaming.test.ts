import { RestSetup, sendMessage } from '@memgate/testkit';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { COMPLETE, STREAM } from './graphql-operations.ts';
import { collect, postGraphql, wsClient } from './graphql-transport.ts';
import type { ChunkFields } from './rest-shapes.ts';
import { postSse, sseEvents } from './sse-reader.ts';

type StreamData = { chatCompletionStream: ChunkFields };
const REPLY = 'The quick brown fox jumps over the lazy dog.';
const LONG_REPLY = 'A long answer that streams slowly, one small piece at a time. '.repeat(20);

/** The stream shape both transports must deliver: one id, role first, text in pieces, one finishReason. */
function expectChunkedReply(chunks: ChunkFields[], text: string): void {
  expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
  const pieces = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').filter((piece) => piece !== '');
  expect(pieces.length).toBeGreaterThanOrEqual(3);
  expect(pieces.join('')).toBe(text);
  const finishes = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finishReason).filter(Boolean));
  expect(finishes).toEqual(['stop']);
}

describe('GraphQL chatCompletionStream', () => {
  let harness: GraphqlHarness;
  let ws: Client;
  let agentId: string;
  const input = (content: string) => ({ agentId, messages: [{ role: 'user', content }] });

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    ws = wsClient(harness.wsUrl, harness.apiKey);
  });
  afterAll(async () => {
    await ws?.dispose();
    await harness?.close();
  });
  beforeEach(async () => {
    harness.upstream.reset();
    agentId = await new RestSetup(harness.baseUrl, harness.apiKey).createAgent({ name: 'streaming' });
  });

  it('delivers the reply over SSE in several chunks with one finishReason', async () => {
    harness.upstream.script(sendMessage(REPLY, { chunkSize: 5 }));
    const response = await postSse(harness.graphqlUrl, harness.apiKey, STREAM, { input: input('Tell me') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = [];
    for await (const event of sseEvents<StreamData>(response)) events.push(event);
    expect(events.at(-1)?.event).toBe('complete');
    const nexts = events.filter((event) => event.event === 'next');
    expect(nexts.every((event) => event.data?.errors === undefined)).toBe(true);
    expectChunkedReply(
      nexts.map((event) => event.data!.data!.chatCompletionStream),
      REPLY,
    );
  });

  it('delivers the reply over graphql-ws in several chunks with one finishReason', async () => {
    harness.upstream.script(sendMessage(REPLY, { chunkSize: 5 }));
    const record = await collect<StreamData>(ws, STREAM, { input: input('Tell me') });
    expect(record.failure).toBeUndefined();
    expect(record.results.every((result) => result.errors === undefined)).toBe(true);
    expectChunkedReply(
      record.results.map((result) => result.data!.chatCompletionStream),
      REPLY,
    );
  });

  it('sends the usage chunk last when streamOptions.includeUsage is set', async () => {
    const usage = { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 };
    harness.upstream.script(sendMessage(REPLY, { usage }));
    const record = await collect<StreamData>(ws, STREAM, {
      input: { ...input('Tell me'), streamOptions: { includeUsage: true } },
    });
    const chunks = record.results.map((result) => result.data!.chatCompletionStream);
    expect(chunks.filter((chunk) => chunk.usage)).toHaveLength(1);
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { promptTokens: 12, completionTokens: 9, totalTokens: 21 },
    });
  });

  it('reports an upstream failure after the stream started as a GraphQL error on the stream', async () => {
    harness.upstream.script(sendMessage('First part.', { requestHeartbeat: true }), { error: { status: 500 } });
    const record = await collect<StreamData>(ws, STREAM, { input: input('Go on') });
    const withErrors = record.results.filter((result) => result.errors);
    expect(record.results[0]?.data?.chatCompletionStream.choices[0]?.delta.content).toBeDefined();
    expect(withErrors).toHaveLength(1);
    expect(record.results.at(-1)?.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    expect(record.failure).toBeUndefined();
  });

  /** Starts a long streamed turn on `client` and resolves once its first text arrived. */
  function startLongTurn(client: Client): Promise<() => void> {
    harness.upstream.script(sendMessage(LONG_REPLY, { chunkDelayMs: 50 }));
    return new Promise((resolve, reject) => {
      const unsubscribe = client.subscribe<StreamData>(
        { query: STREAM, variables: { input: input('Say a lot') } },
        {
          next: (result) => {
            if (result.data?.chatCompletionStream.choices[0]?.delta.content) resolve(unsubscribe);
          },
          error: reject,
          complete: () => {},
        },
      );
    });
  }

  /** The agent's lock was released: the next turn runs. */
  async function expectAgentFree(): Promise<void> {
    harness.upstream.script(sendMessage('Still here.'));
    const next = await postGraphql<{ createChatCompletion: { choices: { message: { content: string } }[] } }>(
      harness.graphqlUrl,
      harness.apiKey,
      COMPLETE,
      { input: input('Hello?') },
    );
    expect(next.data?.createChatCompletion.choices[0]?.message.content).toBe('Still here.');
  }

  it('cancels the upstream call when a graphql-ws client unsubscribes mid-stream', async () => {
    // Eager: the connection stays open, so only the unsubscription can stop the turn.
    const eager = wsClient(harness.wsUrl, harness.apiKey, { lazy: false });
    try {
      const unsubscribe = await startLongTurn(eager);
      unsubscribe();
      const aborted = await harness.upstream.waitForAbort();
      expect(aborted.body.messages.at(-1)).toMatchObject({ role: 'user', content: 'Say a lot' });
      await expectAgentFree();
    } finally {
      await eager.dispose();
    }
  });

  it('cancels the upstream call when a graphql-ws connection closes mid-stream', async () => {
    const client = wsClient(harness.wsUrl, harness.apiKey, { lazy: false });
    await startLongTurn(client);
    await client.dispose();
    await harness.upstream.waitForAbort();
    await expectAgentFree();
  });

  it('cancels the upstream call when an SSE client disconnects mid-stream', async () => {
    harness.upstream.script(sendMessage(LONG_REPLY, { chunkDelayMs: 50 }));
    const controller = new AbortController();
    const response = await postSse(
      harness.graphqlUrl,
      harness.apiKey,
      STREAM,
      { input: input('Say a lot') },
      controller.signal,
    );
    for await (const event of sseEvents<StreamData>(response)) {
      if (event.data?.data?.chatCompletionStream.choices[0]?.delta.content) break;
    }
    controller.abort();
    await harness.upstream.waitForAbort();
    harness.upstream.script(sendMessage('Still here.'));
    const next = await collect<StreamData>(ws, STREAM, { input: input('Hello?') });
    expect(
      next.results.map((result) => result.data?.chatCompletionStream.choices[0]?.delta.content ?? '').join(''),
    ).toBe('Still here.');
  });
});
