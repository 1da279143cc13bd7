import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { echoResponder, messageText } from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

/**
 * The user's message commits while the upstream call already runs. These tests make that commit
 * fail (a trigger in the real database refuses the message) and check the guarantee: the upstream
 * call is aborted, the client gets the commit's error and nothing of a reply, and nothing is stored.
 */
describe('a user message whose commit fails', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let agentId: string;

  beforeAll(async () => {
    // An upstream timeout longer than the test's: only the abort can end a poisoned turn in time.
    harness = await startRestHarness({ timeoutMs: 120_000 });
    call = api(harness.baseUrl, harness.apiKey);
    const db = new DatabaseSync(join(harness.dataDir, 'memgate.sqlite'));
    db.exec(`CREATE TRIGGER refuse_poison BEFORE INSERT ON messages WHEN NEW.content = 'poison'
             BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END`);
    db.close();
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.upstream.reset();
    agentId = (await call('POST', '/v1/agents', {})).body['id'] as string;
  });

  const history = async () =>
    (
      (await call('GET', `/v1/agents/${agentId}/messages?limit=1000`)).body.data as { role: string; content: string }[]
    ).map((message) => `${message.role}:${message.content ?? ''}`);

  /** Every chat request the upstream saw was aborted, and none is still open. */
  async function expectUpstreamAborted(): Promise<void> {
    await expect.poll(() => harness.upstream.activeRequests()).toBe(0);
    const contents = (requests: typeof harness.upstream.requests) =>
      requests.map((request) => request.body.messages.at(-1)?.content);
    expect(contents(harness.upstream.abortedRequests)).toEqual(contents(harness.upstream.requests));
  }

  for (const stream of [false, true]) {
    it(`aborts the upstream call and answers with the store's error (${stream ? 'streaming' : 'plain'})`, async () => {
      // An upstream that never answers the poisoned turn: only the failed commit can end it.
      harness.upstream.setDefault((request) =>
        messageText(request.body.messages.findLast((message) => message.role === 'user')) === 'poison'
          ? { hang: true }
          : echoResponder(request),
      );
      const response = await fetch(`${harness.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'mock-model',
          user: agentId,
          stream,
          messages: [{ role: 'user', content: 'poison' }],
        }),
      });
      // What the commit gave before it overlapped the upstream call: a masked 500, and no stream.
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe('internal_server_error');
      await expectUpstreamAborted();
      expect(await history()).toEqual([]);

      // The agent is unharmed: the next turn stores its message and its reply.
      const next = await call('POST', '/v1/chat/completions', {
        model: 'mock-model',
        user: agentId,
        messages: [{ role: 'user', content: 'hello' }],
      });
      expect(next.status).toBe(200);
      expect(await history()).toEqual(['user:hello', 'assistant:', expect.stringMatching(/^tool:/)]);
    });
  }
});
