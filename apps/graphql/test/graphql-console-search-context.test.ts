import { RestSetup } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camelKeys } from './camel-keys.ts';
import { type GraphqlHarness, startGraphqlHarness } from './graphql-harness.ts';
import { postGraphql, type ResultError } from './graphql-transport.ts';
import { restCall } from './rest-call.ts';

const SEARCH = `query($agentId: ID!, $query: String!, $conversationId: ID, $page: Int, $limit: Int) {
  searchMessages(agentId: $agentId, query: $query, conversationId: $conversationId, page: $page, limit: $limit) {
    query searchMode total page pages pageSize data { id role content toolCallId createdAt conversationId }
  }
}`;
const CONTEXT = `query($agentId: ID!) {
  agentContext(agentId: $agentId) {
    object agentId contextWindow messagesInContext summarisedMessages summary
    tokens { system tools memory summary messages total }
    thresholds { memoryPressure summarise }
  }
}`;
const MODELS = `{ models {
  id object created ownedBy name provider contextWindow supportsTools supportsVision inputPrice outputPrice
} }`;

interface Hit {
  id: string;
  role: string;
  content: string | null;
  toolCallId: string | null;
  createdAt: string;
  conversationId: string;
}
interface MessageSearch {
  query: string;
  searchMode: string;
  total: number;
  page: number;
  pages: number;
  pageSize: number;
  data: Hit[];
}
interface RestMessage {
  id: string;
  role: string;
  content: string | null;
  tool_call_id?: string;
  created_at: string;
  conversation_id: string;
}

const extensionsOf = (errors: ResultError[] | undefined) => errors?.map((error) => error.extensions);

describe('GraphQL history search, context report and models (console)', () => {
  let harness: GraphqlHarness;
  let rest: RestSetup;
  let agentId: string;
  let threadId: string;
  const graphql = <Data>(query: string, variables: Record<string, unknown> = {}, apiKey = harness.apiKey) =>
    postGraphql<Data>(harness.graphqlUrl, apiKey, query, variables);
  const chat = (content: string, conversationId?: string) =>
    restCall(harness.baseUrl, harness.apiKey, {
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'mock-model', user: agentId, messages: [{ role: 'user', content }] },
      ...(conversationId && { headers: { 'x-memgate-conversation': conversationId } }),
    });
  /** Every stored message of the agent (each conversation's), as REST lists them. */
  const restMessages = async () => {
    const path = (id: string) => `/v1/agents/${agentId}/conversations/${id}/messages?limit=100`;
    const lists = await Promise.all(
      [agentId, threadId].map((id) => rest.request<{ data: RestMessage[] }>('GET', path(id))),
    );
    return new Map(lists.flatMap((list) => list.data).map((message) => [message.id, message]));
  };

  beforeAll(async () => {
    harness = await startGraphqlHarness();
    rest = new RestSetup(harness.baseUrl, harness.apiKey);
    agentId = await rest.createAgent({ name: 'searcher' });
    threadId = (await rest.request<{ id: string }>('POST', `/v1/agents/${agentId}/conversations`, { name: 't' })).id;
    expect((await chat('My cat is a tabby.')).status).toBe(200);
    expect((await chat('Greyhounds run fast.')).status).toBe(200);
    expect((await chat('Another tabby story, in a thread.', threadId)).status).toBe(200);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('finds stored messages of every conversation, each as REST stores it', async () => {
    const answer = await graphql<{ searchMessages: MessageSearch }>(SEARCH, { agentId, query: 'tabby', limit: 100 });
    expect(answer.errors).toBeUndefined();
    const found = answer.data!.searchMessages;
    expect(found).toMatchObject({ query: 'tabby', page: 1, pages: 1, pageSize: 100, total: found.data.length });
    const stored = await restMessages();
    for (const hit of found.data) {
      const message = stored.get(hit.id);
      expect(message, hit.id).toBeDefined();
      expect(hit).toEqual({
        id: message!.id,
        role: message!.role,
        content: message!.content,
        toolCallId: message!.tool_call_id ?? null,
        createdAt: message!.created_at,
        conversationId: message!.conversation_id,
      });
    }
    const users = found.data.filter((hit) => hit.role === 'user').map((hit) => hit.content);
    expect(users.sort()).toEqual(['Another tabby story, in a thread.', 'My cat is a tabby.']);
    expect(found.data.some((hit) => hit.content?.includes('Greyhounds'))).toBe(false);
    expect(new Set(found.data.map((hit) => hit.conversationId))).toEqual(new Set([agentId, threadId]));
  });

  it('pages as the search tool does, and keeps to one conversation when asked', async () => {
    const all = await graphql<{ searchMessages: MessageSearch }>(SEARCH, { agentId, query: 'tabby', limit: 100 });
    const { total, data } = all.data!.searchMessages;
    const paged: string[] = [];
    for (let page = 1; page <= total; page += 1) {
      const answer = await graphql<{ searchMessages: MessageSearch }>(SEARCH, {
        agentId,
        query: 'tabby',
        page,
        limit: 1,
      });
      expect(answer.data!.searchMessages).toMatchObject({ total, pages: total, page, pageSize: 1 });
      paged.push(...answer.data!.searchMessages.data.map((hit) => hit.id));
    }
    expect(paged).toEqual(data.map((hit) => hit.id));
    const past = await graphql<{ searchMessages: MessageSearch }>(SEARCH, {
      agentId,
      query: 'tabby',
      page: total + 1,
      limit: 1,
    });
    expect(past.data!.searchMessages.data).toEqual([]);

    const scoped = await graphql<{ searchMessages: MessageSearch }>(SEARCH, {
      agentId,
      query: 'tabby',
      conversationId: threadId,
    });
    const hits = scoped.data!.searchMessages.data;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.conversationId === threadId)).toBe(true);
    expect(hits).toEqual(data.filter((hit) => hit.conversationId === threadId));
  });

  it('refuses bad search input as 422, and another user’s agent as 404', async () => {
    for (const variables of [
      { agentId, query: '' },
      { agentId, query: 'x'.repeat(2001) },
      { agentId, query: 'tabby', limit: 101 },
      { agentId, query: 'tabby', page: 0 },
      { agentId, query: 'tabby', conversationId: '' },
    ]) {
      const answer = await graphql(SEARCH, variables);
      expect(extensionsOf(answer.errors), JSON.stringify(variables).slice(0, 80)).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT', status: 422, request_id: expect.any(String) }),
      ]);
    }
    const other = await graphql(SEARCH, { agentId, query: 'tabby' }, harness.otherApiKey);
    expect(extensionsOf(other.errors)).toEqual([expect.objectContaining({ code: 'NOT_FOUND', status: 404 })]);
  });

  it('reports the context window with REST’s numbers', async () => {
    const answer = await graphql<{ agentContext: Record<string, unknown> }>(CONTEXT, { agentId });
    expect(answer.errors).toBeUndefined();
    const restContext = await rest.request<Record<string, unknown>>('GET', `/v1/agents/${agentId}/context`);
    expect(answer.data!.agentContext).toEqual(camelKeys(restContext));
    expect(answer.data!.agentContext).toMatchObject({ messagesInContext: expect.any(Number), object: 'agent.context' });
    expect((answer.data!.agentContext['tokens'] as { messages: number }).messages).toBeGreaterThan(0);

    const fresh = await rest.createAgent({ name: 'fresh', persona: 'A long persona. '.repeat(50) });
    const freshAnswer = await graphql<{ agentContext: Record<string, unknown> }>(CONTEXT, { agentId: fresh });
    const freshRest = await rest.request('GET', `/v1/agents/${fresh}/context`);
    expect(freshAnswer.data!.agentContext).toEqual(camelKeys(freshRest));
    expect(freshAnswer.data!.agentContext).not.toEqual(answer.data!.agentContext);

    for (const [id, apiKey] of [
      ['agent-missing', harness.apiKey],
      [agentId, harness.otherApiKey],
    ] as const) {
      const missing = await graphql<{ agentContext: null }>(CONTEXT, { agentId: id }, apiKey);
      expect(missing.data).toEqual({ agentContext: null });
      expect(extensionsOf(missing.errors)).toEqual([expect.objectContaining({ code: 'NOT_FOUND', status: 404 })]);
    }
  });

  it('lists the models REST lists, each caller its own agents', async () => {
    for (const apiKey of [harness.apiKey, harness.otherApiKey]) {
      const answer = await graphql<{ models: Record<string, unknown>[] }>(MODELS, {}, apiKey);
      expect(answer.errors).toBeUndefined();
      const restModels = (await restCall(harness.baseUrl, apiKey, { path: '/v1/models' })).body as { data: unknown[] };
      const nulls = { provider: null, contextWindow: null, supportsTools: null, supportsVision: null };
      const expected = restModels.data.map((model) => ({
        ...nulls,
        inputPrice: null,
        outputPrice: null,
        ...(camelKeys(model) as object),
      }));
      expect(answer.data!.models).toEqual(expected);
      const agentIds = answer
        .data!.models.filter((model) => model['ownedBy'] === 'memgate-agent')
        .map((model) => model['id']);
      expect(agentIds.includes(agentId)).toBe(apiKey === harness.apiKey);
    }
  });
});
