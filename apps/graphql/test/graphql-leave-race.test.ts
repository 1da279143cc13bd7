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
  return (body, until) =>
    new Promise((resolve, reject) => {
      // Once the race has begun, an error or an early end is one of its outcomes.
      let left = false;
      const unsubscribe = client.subscribe<StreamData>(
        { query: STREAM, variables: { input: graphqlInput(body) } },
        {
          next: (result) => {
            if (hasText(result.data?.chatCompletionStream)) leave();
          },
          error: (error) => left || reject(error),
          complete: () => left || reject(new Error('the stream ended before its first text')),
        },
      );
      const leave = () => {
        left = true;
        resolve(unsubscribe);
      };
      if (until === 'sent') leave();
    });
}

/** Leaves a GraphQL-over-SSE subscription by aborting its HTTP request. */
function leaveByAbort(harness: GraphqlHarness): LeavableStream {
  return async (body, until) => {
    const controller = new AbortController();
    const started = postSse(
      harness.graphqlUrl,
      harness.apiKey,
      STREAM,
      { input: graphqlInput(body) },
      controller.signal,
    );
    if (until === 'sent') {
      // Whatever answer comes (an error, chunks, the abort) is the race's; the leave is what counts.
      started.then((response) => response.body?.cancel()).catch(() => {});
      return () => controller.abort();
    }
    const response = await started;
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
