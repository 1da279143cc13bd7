import { RestSetup, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openChatStream } from '../src/streams/chat-stream-source.ts';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { COMPLETE, STREAM } from './graphql-operations.ts';
import { postSse } from './sse-reader.ts';

const LONG_REPLY = 'A long answer that streams slowly, one small piece at a time. '.repeat(20);
/** A leaked agent lock would hold the next turn for the whole turn deadline (minutes). */
const FREED_WITHIN_MS = 5_000;

type CompleteData = { createChatCompletion: { choices: { message: { content: string } }[] } };

describe('a GraphQL client that leaves as its stream starts', () => {
  let harness: GraphqlHarness;
  let agentId: string;

  beforeAll(async () => {
    harness = await startGraphqlHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    harness.upstream.reset();
    agentId = await new RestSetup(harness.baseUrl, harness.apiKey).createAgent({ name: 'left' });
  });

  /** The next turn on the agent runs: its lock was released. */
  async function expectAgentFree(): Promise<void> {
    harness.upstream.script(sendMessage('Still here.'));
    const response = await fetch(harness.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: COMPLETE,
        variables: { input: { agentId, messages: [{ role: 'user', content: 'Hello?' }] } },
      }),
      signal: AbortSignal.timeout(FREED_WITHIN_MS),
    });
    const body = (await response.json()) as { data?: CompleteData };
    expect(body.data?.createChatCompletion.choices[0]?.message.content).toBe('Still here.');
  }

  it('ends the turn when the client leaves, even if its transport never reads nor returns the stream', async () => {
    // Yoga's SSE response, cancelled before its first read, drops the subscription's iterator so.
    harness.upstream.script(sendMessage(LONG_REPLY, { chunkDelayMs: 50 }));
    const principal = await harness.memgate.admin.authenticate(`Bearer ${harness.apiKey}`);
    const client = new AbortController();
    const request = { requestId: 'left-unread', userId: principal.userId, agentId: null, operation: null };
    const body = { model: 'mock-model', user: agentId, stream: true, messages: [{ role: 'user', content: 'Hi' }] };
    await openChatStream(harness.memgate, { principal, body, signal: client.signal, request });
    client.abort();
    await harness.upstream.waitForAbort();
    await expectAgentFree();
  });

  it('survives an SSE client that leaves before the first chunk (no crash), and frees the agent', async () => {
    harness.upstream.script({ hang: true });
    const client = new AbortController();
    const input = { agentId, messages: [{ role: 'user', content: 'Hi' }] };
    const started = postSse(harness.graphqlUrl, harness.apiKey, STREAM, { input }, client.signal);
    started.catch(() => {});
    await until(() => harness.upstream.requests.length === 1);
    client.abort();
    // The turn is aborted, its subscription fails, and yoga answers a client that is gone.
    await harness.upstream.waitForAbort();
    await expectAgentFree();
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
