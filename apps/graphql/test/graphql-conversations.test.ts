import { RestSetup, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { COMPLETE } from './graphql-operations.ts';
import { postGraphql } from './graphql-transport.ts';

const CONVERSATION_FIELDS = 'id object agentId name metadata isDefault createdAt updatedAt';

interface ConversationFields {
  id: string;
  object: string;
  agentId: string;
  name: string | null;
  metadata: Record<string, string> | null;
  isDefault: boolean;
}

describe('GraphQL conversations', () => {
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

  it('creates, lists, updates and deletes conversations as REST shows them', async () => {
    const agentId = await rest.createAgent({});
    const created = await graphql<{ createConversation: ConversationFields }>(
      `mutation($agentId: ID!, $input: ConversationInput) {
        createConversation(agentId: $agentId, input: $input) { ${CONVERSATION_FIELDS} }
      }`,
      { agentId, input: { name: 'Trip', metadata: { topic: 'travel' } } },
    );
    expect(created.errors).toBeUndefined();
    const conversation = created.data!.createConversation;
    expect(conversation).toMatchObject({ object: 'conversation', agentId, name: 'Trip', isDefault: false });
    const viaRest = await rest.request<Record<string, unknown>>(
      'GET',
      `/v1/agents/${agentId}/conversations/${conversation.id}`,
    );
    expect(viaRest).toMatchObject({
      id: conversation.id,
      name: 'Trip',
      metadata: { topic: 'travel' },
      is_default: false,
    });

    const listed = await graphql<{ agent: { conversations: ConversationFields[] } }>(
      `query($id: ID!) { agent(id: $id) { conversations { id isDefault } } }`,
      { id: agentId },
    );
    expect(listed.data!.agent.conversations).toEqual([
      { id: agentId, isDefault: true },
      { id: conversation.id, isDefault: false },
    ]);

    const updated = await graphql<{ updateConversation: ConversationFields }>(
      `mutation($agentId: ID!, $id: ID!, $input: ConversationInput!) {
        updateConversation(agentId: $agentId, id: $id, input: $input) { name metadata }
      }`,
      { agentId, id: conversation.id, input: { metadata: null } },
    );
    expect(updated.data!.updateConversation).toEqual({ name: 'Trip', metadata: null });

    const refused = await graphql(`mutation($agentId: ID!) { deleteConversation(agentId: $agentId, id: $agentId) }`, {
      agentId,
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 409 });
    const deleted = await graphql<{ deleteConversation: boolean }>(
      `mutation($agentId: ID!, $id: ID!) { deleteConversation(agentId: $agentId, id: $id) }`,
      { agentId, id: conversation.id },
    );
    expect(deleted.data!.deleteConversation).toBe(true);
    const gone = await graphql(`query($agentId: ID!, $id: ID!) { conversation(agentId: $agentId, id: $id) { id } }`, {
      agentId,
      id: conversation.id,
    });
    expect(gone.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it('runs a turn in conversationId and lists that conversation’s messages', async () => {
    const agentId = await rest.createAgent({});
    const { id } = await rest.request<{ id: string }>('POST', `/v1/agents/${agentId}/conversations`, {});
    harness.upstream.script(sendMessage('Hello from the thread.'));
    const turn = await graphql(COMPLETE, {
      input: { agentId, conversationId: id, messages: [{ role: 'user', content: 'in the thread' }] },
    });
    expect(turn.errors).toBeUndefined();
    const messages = await graphql<{ messages: { role: string; content: string | null; conversationId: string }[] }>(
      `query($agentId: ID!, $conversationId: ID) {
        messages(agentId: $agentId, conversationId: $conversationId) { role content conversationId }
      }`,
      { agentId, conversationId: id },
    );
    expect(messages.data!.messages[0]).toEqual({ role: 'user', content: 'in the thread', conversationId: id });
    const defaults = await graphql<{ messages: unknown[] }>(
      `query($agentId: ID!) { messages(agentId: $agentId) { id } }`,
      {
        agentId,
      },
    );
    expect(defaults.data!.messages).toEqual([]);
  });
});
