import { RestSetup, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { COMPLETE } from './graphql-operations.ts';
import { postGraphql } from './graphql-transport.ts';

interface MessageFields {
  id: string;
  role: string;
  content: string | null;
  conversationId: string;
  hidden: boolean;
}

const MESSAGES = `query($agentId: ID!, $conversationId: ID, $includeHidden: Boolean) {
  messages(agentId: $agentId, conversationId: $conversationId, includeHidden: $includeHidden) {
    id role content conversationId hidden
  }
}`;

describe('GraphQL fork, rewind and restore', () => {
  let harness: GraphqlHarness;
  let rest: RestSetup;
  const graphql = <Data>(query: string, variables: Record<string, unknown> = {}) =>
    postGraphql<Data>(harness.graphqlUrl, harness.apiKey, query, variables);

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    rest = new RestSetup(harness.baseUrl, harness.apiKey);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('forks at a message, rewinds after one and restores, as REST does', async () => {
    const agentId = await rest.createAgent({});
    const { id } = await rest.request<{ id: string }>('POST', `/v1/agents/${agentId}/conversations`, {});
    for (const content of ['first', 'second']) {
      harness.upstream.script(sendMessage(`Answer to ${content}.`));
      const turn = await graphql(COMPLETE, {
        input: { agentId, conversationId: id, messages: [{ role: 'user', content }] },
      });
      expect(turn.errors).toBeUndefined();
    }
    const list = async (conversationId: string, includeHidden?: boolean) =>
      (await graphql<{ messages: MessageFields[] }>(MESSAGES, { agentId, conversationId, includeHidden })).data!
        .messages;
    const history = await list(id);
    const cut = history[history.findIndex((message) => message.content === 'second') - 1]!.id;
    expect(history.every((message) => message.hidden === false)).toBe(true);

    const forked = await graphql<{ forkConversation: { id: string; name: string; isDefault: boolean } }>(
      `mutation($agentId: ID!, $id: ID!, $at: ID, $input: ConversationInput) {
        forkConversation(agentId: $agentId, id: $id, atMessageId: $at, input: $input) { id name isDefault }
      }`,
      { agentId, id, at: cut, input: { name: 'branch' } },
    );
    expect(forked.errors).toBeUndefined();
    expect(forked.data!.forkConversation).toMatchObject({ name: 'branch', isDefault: false });
    const fork = forked.data!.forkConversation.id;
    expect((await list(fork)).filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['first']);

    const rewound = await graphql<{ rewindConversation: { hidden: number; conversation: { id: string } } }>(
      `mutation($agentId: ID!, $id: ID!, $to: ID!) {
        rewindConversation(agentId: $agentId, id: $id, toMessageId: $to) { hidden conversation { id } }
      }`,
      { agentId, id, to: cut },
    );
    expect(rewound.errors).toBeUndefined();
    const { hidden } = rewound.data!.rewindConversation;
    expect(hidden).toBeGreaterThanOrEqual(2);
    expect(rewound.data!.rewindConversation.conversation.id).toBe(id);
    expect((await list(id)).map((message) => message.content)).not.toContain('second');
    const all = await list(id, true);
    expect(all.find((message) => message.content === 'second')?.hidden).toBe(true);
    expect(all.filter((message) => message.hidden)).toHaveLength(hidden);

    const restored = await graphql<{ restoreConversation: { restored: number } }>(
      `mutation($agentId: ID!, $id: ID!) { restoreConversation(agentId: $agentId, id: $id) { restored } }`,
      { agentId, id },
    );
    expect(restored.data!.restoreConversation.restored).toBe(hidden);
    expect((await list(id)).map((message) => message.content)).toContain('second');

    const unknown = await graphql(
      `mutation($agentId: ID!, $id: ID!) { rewindConversation(agentId: $agentId, id: $id, toMessageId: "message-x") { hidden } }`,
      { agentId, id },
    );
    expect(unknown.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });
});
