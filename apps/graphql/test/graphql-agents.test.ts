import { RestSetup, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { AGENT_FIELDS, COMPLETE } from './graphql-operations.ts';
import { postGraphql } from './graphql-transport.ts';

interface AgentFields {
  id: string;
  object: string;
  name: string;
  model: string;
  system: string;
  contextWindow: number;
  createdAt: string;
  memory: { label: string; value: string; limit: number }[];
}
interface RestAgent {
  id: string;
  object: string;
  name: string;
  model: string;
  system: string;
  context_window: number;
  created_at: string;
  memory: { blocks: AgentFields['memory'] };
}

const MESSAGE_FIELDS = 'id role content toolCalls toolCallId name createdAt';

describe('GraphQL agents, queries and mutations', () => {
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

  it('creates, lists, reads and deletes agents, mirroring the REST objects', async () => {
    const created = await graphql<{ createAgent: AgentFields }>(
      `mutation($input: CreateAgentInput!) { createAgent(input: $input) { ${AGENT_FIELDS} } }`,
      { input: { name: 'Ada', persona: 'A careful assistant.', contextWindow: 16_000, system: null } },
    );
    expect(created.errors).toBeUndefined();
    const agent = created.data!.createAgent;
    const restAgent = await rest.request<RestAgent>('GET', `/v1/agents/${agent.id}`);
    expect(agent).toEqual({
      id: restAgent.id,
      object: restAgent.object,
      name: 'Ada',
      model: restAgent.model,
      system: restAgent.system,
      contextWindow: 16_000,
      createdAt: restAgent.created_at,
      // The fields the operation selects of each block (the REST block has more: id, version…).
      memory: restAgent.memory.blocks.map(({ label, value, limit }) => ({ label, value, limit })),
    });
    expect(agent.memory.find((block) => block.label === 'persona')?.value).toBe('A careful assistant.');

    const listed = await graphql<{ agents: { id: string }[] }>('query { agents { id } }');
    expect(listed.data?.agents.map((item) => item.id)).toContain(agent.id);
    const read = await graphql<{ agent: AgentFields }>(`query($id: ID!) { agent(id: $id) { ${AGENT_FIELDS} } }`, {
      id: agent.id,
    });
    expect(read.data?.agent).toEqual(agent);

    const deleted = await graphql<{ deleteAgent: boolean }>('mutation($id: ID!) { deleteAgent(id: $id) }', {
      id: agent.id,
    });
    expect(deleted.data?.deleteAgent).toBe(true);
    const gone = await graphql<{ agent: null }>('query($id: ID!) { agent(id: $id) { id } }', { id: agent.id });
    expect(gone.data?.agent).toBeNull();
    expect(gone.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('refuses an invalid agent as BAD_USER_INPUT', async () => {
    const response = await graphql('mutation { createAgent(input: { contextWindow: 10 }) { id } }');
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      status: 422,
      param: 'context_window',
    });
  });

  it('lists the stored conversation as REST does, with limit and before', async () => {
    const agentId = await rest.createAgent({ name: 'history' });
    harness.upstream.script(sendMessage('Hello back.'));
    const turn = await graphql<{ createChatCompletion: { choices: { message: { content: string } }[] } }>(COMPLETE, {
      input: { agentId, messages: [{ role: 'user', content: 'Hello', name: 'ada' }] },
    });
    expect(turn.data?.createChatCompletion.choices[0]?.message.content).toBe('Hello back.');

    const stored = await rest.request<{ data: Record<string, unknown>[] }>('GET', `/v1/agents/${agentId}/messages`);
    const all = await graphql<{ messages: Record<string, unknown>[] }>(
      `query($id: ID!) { messages(agentId: $id) { ${MESSAGE_FIELDS} } }`,
      { id: agentId },
    );
    expect(all.data?.messages).toEqual(
      stored.data.map((message) => ({
        id: message['id'],
        role: message['role'],
        content: message['content'],
        toolCalls: message['tool_calls'] ?? null,
        toolCallId: message['tool_call_id'] ?? null,
        name: message['name'] ?? null,
        createdAt: message['created_at'],
      })),
    );
    expect(all.data?.messages[0]).toMatchObject({ role: 'user', content: 'Hello', name: 'ada' });

    const last = stored.data.at(-1)!;
    const page = await graphql<{ messages: { id: string }[] }>(
      'query($id: ID!, $before: ID) { messages(agentId: $id, limit: 1, before: $before) { id } }',
      { id: agentId, before: last['id'] },
    );
    expect(page.data?.messages.map((message) => message.id)).toEqual([stored.data.at(-2)?.['id']]);
  });

  it('takes images in contentParts and shows them in AgentMessage.contentParts, content staying the text', async () => {
    const agentId = await rest.createAgent({ name: 'images' });
    harness.upstream.script(sendMessage('A cat.'));
    const parts = [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'https://images.example.com/cat.png' } },
    ];
    const turn = await graphql<{ createChatCompletion: { choices: { message: { content: string } }[] } }>(COMPLETE, {
      input: { agentId, messages: [{ role: 'user', contentParts: parts }] },
    });
    expect(turn.data?.createChatCompletion.choices[0]?.message.content).toBe('A cat.');
    const read = await graphql<{ messages: { role: string; content: string; contentParts: unknown }[] }>(
      'query($id: ID!) { messages(agentId: $id) { role content contentParts } }',
      { id: agentId },
    );
    expect(read.data?.messages[0]).toEqual({ role: 'user', content: 'What is this?', contentParts: parts });
    expect(read.data?.messages.at(-1)?.contentParts).toBeNull();

    const both = await graphql(COMPLETE, {
      input: { agentId, messages: [{ role: 'user', content: 'x', contentParts: parts }] },
    });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', param: 'messages.0.contentParts' });
  });
});
