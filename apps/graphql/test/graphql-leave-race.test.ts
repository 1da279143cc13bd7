import { conformanceTarget, type LeavableStream, runLeaveRaceConformance } from '@memgate/testkit';
import type { Client } from 'graphql-ws';
import { graphqlClient } from './graphql-client.ts';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { STREAM } from './graphql-operations.ts';
import { wsClient } from './graphql-transport.ts';
import { type ChunkFields, graphqlInput } from './rest-shapes.ts';
import { postSse, sseEvents } from './sse-reader.ts';

type StreamData = { chatCompletionStream: ChunkFields };

const hasText = (chunk: ChunkFields | undefined) => !!chunk?.choices[0]?.delta.content;

/** Leaves by graphql-ws `complete` on a connection that stays open (only the complete can stop the turn). */
function leaveByComplete(client: Client): LeavableStream {
  return (body) =>
    new Promise((resolve, reject) => {
      const unsubscribe = client.subscribe<StreamData>(
        { query: STREAM, variables: { input: graphqlInput(body) } },
        {
          next: (result) => {
            if (hasText(result.data?.chatCompletionStream)) resolve(unsubscribe);
          },
          error: reject,
          complete: () => reject(new Error('the stream ended before its first text')),
        },
      );
    });
}

/** Leaves a GraphQL-over-SSE subscription by aborting its HTTP request. */
function leaveByAbort(harness: GraphqlHarness): LeavableStream {
  return async (body) => {
    const controller = new AbortController();
    const response = await postSse(
      harness.graphqlUrl,
      harness.apiKey,
      STREAM,
      { input: graphqlInput(body) },
      controller.signal,
    );
    for await (const event of sseEvents<StreamData>(response)) {
      if (hasText(event.data?.data?.chatCompletionStream)) return () => controller.abort();
    }
    throw new Error('the stream ended before its first text');
  };
}

let eager: Client | undefined;
runLeaveRaceConformance(
  'GraphQL over graphql-ws (complete)',
  async () => {
    const harness = await startGraphqlHarness();
    eager = wsClient(harness.wsUrl, harness.apiKey, { lazy: false });
    const client = eager;
    const target = conformanceTarget(harness, async (apiKey) => graphqlClient(harness, apiKey));
    return {
      ...target,
      async close() {
        await client.dispose();
        await target.close();
      },
    };
  },
  () => leaveByComplete(eager!),
);

let sseHarness: GraphqlHarness | undefined;
runLeaveRaceConformance(
  'GraphQL over SSE (aborted request)',
  async () => {
    sseHarness = await startGraphqlHarness();
    const harness = sseHarness;
    return conformanceTarget(harness, async (apiKey) => graphqlClient(harness, apiKey));
  },
  () => leaveByAbort(sseHarness!),
);
