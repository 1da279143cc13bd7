import { RestSetup, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { AGENT_EVENTS } from './graphql-operations.ts';
import { wsClient } from './graphql-transport.ts';
import { postSse, sseEvents } from './sse-reader.ts';

interface EventFields {
  type: string;
  agentId: string;
  message: { id: string; role: string; content: string | null } | null;
}
type EventsData = { agentEvents: EventFields };

describe('GraphQL agentEvents', () => {
  let harness: GraphqlHarness;
  let rest: RestSetup;

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    rest = new RestSetup(harness.baseUrl, harness.apiKey);
  });
  afterAll(async () => {
    await harness?.close();
  });

  /** A turn over REST; resolves with the messages it stored, as REST lists them. */
  async function restTurn(agentId: string, content: string): Promise<{ id: string; role: string }[]> {
    const before = (await rest.messages(agentId)).length;
    harness.upstream.script(sendMessage(`Reply to ${content}`));
    await rest.request('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content }],
    });
    return ((await rest.messages(agentId)) as unknown as { id: string; role: string }[]).slice(before);
  }

  it('delivers over graphql-ws every message of a turn that came in over REST', async () => {
    const agentId = await rest.createAgent({ name: 'events' });
    const client = wsClient(harness.wsUrl, harness.apiKey);
    const events: EventFields[] = [];
    let stored: { id: string; role: string }[] | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        // Done once the turn answered and every message it stored arrived (after `subscribed`).
        const finishIfComplete = () => {
          if (stored && events.length >= stored.length + 1) {
            unsubscribe();
            resolve();
          }
        };
        const unsubscribe = client.subscribe<EventsData>(
          { query: AGENT_EVENTS, variables: { agentId } },
          {
            next: (result) => {
              const event = result.data?.agentEvents;
              if (!event) return reject(new Error(JSON.stringify(result.errors)));
              events.push(event);
              // Live from here on: the turn's messages cannot be missed.
              if (event.type === 'subscribed') {
                restTurn(agentId, 'Hi').then((messages) => {
                  stored = messages;
                  finishIfComplete();
                }, reject);
              }
              finishIfComplete();
            },
            error: reject,
            complete: () => reject(new Error('agentEvents ended by itself')),
          },
        );
      });
      expect(events[0]).toEqual({ type: 'subscribed', agentId, message: null });
      const created = events.slice(1);
      expect(created.every((event) => event.type === 'message.created' && event.agentId === agentId)).toBe(true);
      expect(created.map((event) => event.message?.id)).toEqual(stored?.map((message) => message.id));
      expect(created[0]?.message).toMatchObject({ role: 'user', content: 'Hi' });
    } finally {
      await client.dispose();
    }
  });

  it('delivers over SSE too, and ends the stream when the app closes', async () => {
    const local = await startGraphqlHarness();
    try {
      const agentId = await new RestSetup(local.baseUrl, local.apiKey).createAgent({ name: 'sse-events' });
      const response = await postSse(local.graphqlUrl, local.apiKey, AGENT_EVENTS, { agentId });
      const types: string[] = [];
      for await (const event of sseEvents<EventsData>(response)) {
        const fields = event.data?.data?.agentEvents;
        if (fields) types.push(fields.message ? `${fields.type}:${fields.message.role}` : fields.type);
        if (fields?.type === 'subscribed') {
          local.upstream.script(sendMessage('Hello.'));
          await new RestSetup(local.baseUrl, local.apiKey).request('POST', '/v1/chat/completions', {
            model: 'mock-model',
            user: agentId,
            messages: [{ role: 'user', content: 'Hi' }],
          });
          await local.app.close();
        }
        if (event.event === 'complete') types.push('complete');
      }
      expect(types[0]).toBe('subscribed');
      expect(types).toContain('message.created:user');
      expect(types).toContain('message.created:assistant');
      expect(types.at(-1)).toBe('complete');
    } finally {
      await local.close();
    }
  });
});
