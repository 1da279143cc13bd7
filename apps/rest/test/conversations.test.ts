import { echoResponder, type RecordedRequest, type ScriptedResponse, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

interface ConversationBody {
  id: string;
  object: string;
  agent_id: string;
  name: string | null;
  metadata: Record<string, string> | null;
  is_default: boolean;
}

/** The text of the messages of an upstream request, joined. */
function promptText(request: RecordedRequest | undefined): string {
  return JSON.stringify(request?.body.messages ?? []);
}

/** The content of the request's newest user message. */
function lastUserText(request: RecordedRequest): string {
  const user = request.body.messages.findLast((message) => message.role === 'user');
  return typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content);
}

describe('conversations: many threads of one agent, sharing its memory', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let other: ReturnType<typeof api>;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness();
    call = api(harness.baseUrl, harness.apiKey);
    other = api(harness.baseUrl, harness.otherApiKey);
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.upstream.reset();
    harness.upstream.setDefault(echoResponder);
    agentId = (await call('POST', '/v1/agents', {})).body['id'] as string;
  });

  const chat = (content: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
    call(
      'POST',
      '/v1/chat/completions',
      { model: 'mock-model', user: agentId, messages: [{ role: 'user', content }], ...extra },
      headers,
    );
  const create = async (body: unknown = {}) =>
    (await call('POST', `/v1/agents/${agentId}/conversations`, body)).body as unknown as ConversationBody;
  const history = async (conversationId?: string) => {
    const path = conversationId
      ? `/v1/agents/${agentId}/conversations/${conversationId}/messages`
      : `/v1/agents/${agentId}/messages`;
    // The user's messages: the echo replies are send_message calls, their text in the arguments.
    const messages = (await call('GET', path)).body.data as {
      role: string;
      content: string;
      conversation_id: string;
    }[];
    for (const message of messages) expect(message.conversation_id).toBe(conversationId ?? agentId);
    return messages.filter((message) => message.role === 'user').map((message) => message.content);
  };
  const listIds = async () =>
    ((await call('GET', `/v1/agents/${agentId}/conversations`)).body.data as ConversationBody[]).map((c) => c.id);

  it('gives every agent a default conversation and manages the others', async () => {
    expect((await call('GET', `/v1/agents/${agentId}/conversations`)).body.data).toEqual([
      expect.objectContaining({ id: agentId, object: 'conversation', agent_id: agentId, is_default: true, name: null }),
    ]);
    const created = await call('POST', `/v1/agents/${agentId}/conversations`, { name: 'Trip', metadata: { a: 'b' } });
    expect(created.status).toBe(201);
    const conversation = created.body as unknown as ConversationBody;
    expect(conversation).toMatchObject({
      object: 'conversation',
      name: 'Trip',
      metadata: { a: 'b' },
      is_default: false,
    });
    expect(conversation.id).toMatch(/^conv_[0-9a-f]{32}$/);
    expect(await listIds()).toEqual([agentId, conversation.id]);

    const path = `/v1/agents/${agentId}/conversations/${conversation.id}`;
    expect((await call('GET', path)).body).toEqual(conversation);
    const renamed = await call('PATCH', path, { name: 'Holiday', metadata: null });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Holiday', metadata: null });

    expect((await call('DELETE', `/v1/agents/${agentId}/conversations/${agentId}`)).status).toBe(409);
    expect((await call('DELETE', path)).status).toBe(204);
    expect((await call('GET', path)).status).toBe(404);
    expect(await listIds()).toEqual([agentId]);
  });

  it('refuses bad input, unknown ids and other users, changing nothing', async () => {
    const conversation = await create();
    const path = `/v1/agents/${agentId}/conversations/${conversation.id}`;
    expect((await call('POST', `/v1/agents/${agentId}/conversations`, { name: 7 })).status).toBe(422);
    expect((await call('POST', `/v1/agents/${agentId}/conversations`, { colour: 'red' })).status).toBe(422);
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v']));
    expect((await call('PATCH', path, { metadata: many })).status).toBe(422);
    expect((await call('GET', `/v1/agents/${agentId}/conversations/conv_missing`)).status).toBe(404);
    expect((await call('GET', `/v1/agents/agent-missing/conversations`)).status).toBe(404);
    // Another user sees neither the agent nor its conversations.
    expect((await other('GET', path)).status).toBe(404);
    expect((await other('DELETE', path)).status).toBe(404);
    expect((await other('POST', `/v1/agents/${agentId}/conversations`, {})).status).toBe(404);
    // A conversation is reached through its own agent only.
    const second = (await call('POST', '/v1/agents', {})).body['id'] as string;
    expect((await call('GET', `/v1/agents/${second}/conversations/${conversation.id}`)).status).toBe(404);
    expect(await listIds()).toEqual([agentId, conversation.id]);
  });

  it('runs a turn in the conversation the header, then metadata, names; the agent’s route shows its default one', async () => {
    const trip = await create();
    const work = await create();
    const first = await chat('hello default');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-memgate-conversation')).toBe(agentId);
    const inTrip = await chat('hello trip', { 'x-memgate-conversation': trip.id });
    expect(inTrip.headers.get('x-memgate-conversation')).toBe(trip.id);
    await chat('hello work', {}, { metadata: { conversation_id: work.id } });
    // The header wins over metadata.
    await chat('trip again', { 'x-memgate-conversation': trip.id }, { metadata: { conversation_id: work.id } });

    expect(await history()).toEqual(['hello default']);
    expect(await history(trip.id)).toEqual(['hello trip', 'trip again']);
    expect(await history(work.id)).toEqual(['hello work']);
    // Each turn's prompt held its own conversation only.
    const lastPrompt = promptText(harness.upstream.requests.at(-1));
    expect(lastPrompt).toContain('hello trip');
    expect(lastPrompt).not.toContain('hello default');
    expect(lastPrompt).not.toContain('hello work');
  });

  it('refuses an unknown conversation (404) or another agent’s (422) and stores nothing', async () => {
    const second = (await call('POST', '/v1/agents', {})).body['id'] as string;
    const theirs = (await call('POST', `/v1/agents/${second}/conversations`, {})).body as unknown as ConversationBody;
    const unknown = await chat('lost', { 'x-memgate-conversation': 'conv_missing' });
    expect(unknown.status).toBe(404);
    expect(unknown.body['error']).toMatchObject({ code: 'conversation_not_found' });
    const viaMetadata = await chat('lost', {}, { metadata: { conversation_id: 'conv_missing' } });
    expect(viaMetadata.status).toBe(404);
    const mismatch = await chat('crossed', { 'x-memgate-conversation': theirs.id });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body['error']).toMatchObject({ code: 'conversation_agent_mismatch' });
    // Another user's conversation is unknown, not theirs to name.
    const foreign = (await other('POST', '/v1/agents', {})).body['id'] as string;
    const foreignConversation = (await other('POST', `/v1/agents/${foreign}/conversations`, {})).body['id'] as string;
    expect((await chat('sneaky', { 'x-memgate-conversation': foreignConversation })).status).toBe(404);
    expect(await history()).toEqual([]);
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('gives each chat of a chat UI its own conversation, mapped by the UI’s chat id', async () => {
    await chat('first chat', { 'x-openwebui-chat-id': 'chat-1' });
    await chat('second chat', { 'x-openwebui-chat-id': 'chat-2' });
    // A chat UI sends the whole transcript (and its chats are reconciled with it by default).
    const again = await chat(
      'first chat again',
      { 'x-openwebui-chat-id': 'chat-1' },
      {
        messages: [
          { role: 'user', content: 'first chat' },
          { role: 'assistant', content: 'Echo: first chat' },
          { role: 'user', content: 'first chat again' },
        ],
      },
    );
    const librechat = await chat('from librechat', { 'x-librechat-conversation-id': 'chat-1' });
    const ids = await listIds();
    expect(ids).toHaveLength(4);
    const chatOne = again.headers.get('x-memgate-conversation')!;
    expect(await history(chatOne)).toEqual(['first chat', 'first chat again']);
    // The same chat id from another UI is another chat.
    expect(librechat.headers.get('x-memgate-conversation')).not.toBe(chatOne);
    expect(await history()).toEqual([]);
    // An explicit conversation wins over the chat UI's id.
    const named = await chat('named', { 'x-openwebui-chat-id': 'chat-1', 'x-memgate-conversation': agentId });
    expect(named.headers.get('x-memgate-conversation')).toBe(agentId);
  });

  it('runs two conversations of one agent at once, and both see one core-memory edit', async () => {
    const left = await create();
    const right = await create();
    // The upstream answers only once both turns are waiting on it: they must run side by side.
    let arrived = 0;
    let release!: () => void;
    const bothWaiting = new Promise<void>((resolve) => {
      release = resolve;
    });
    harness.upstream.setDefault(async (request): Promise<ScriptedResponse> => {
      const text = lastUserText(request);
      if (text.startsWith('remember') && !promptText(request).includes('"role":"tool"')) {
        arrived += 1;
        if (arrived === 2) release();
        await bothWaiting;
        const fact = text.slice('remember '.length);
        return {
          toolCalls: [
            { name: 'core_memory_append', arguments: { label: 'human', content: fact, request_heartbeat: true } },
          ],
        };
      }
      return sendMessage('Noted.');
    });
    const [a, b] = await Promise.all([
      chat('remember likes tea', { 'x-memgate-conversation': left.id }),
      chat('remember lives in Oslo', { 'x-memgate-conversation': right.id }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // Both edits were made from the same version; the second was re-applied on the first's value.
    const blocks = (await call('GET', `/v1/agents/${agentId}/memory`)).body['blocks'] as {
      label: string;
      value: string;
      version: number;
    }[];
    const human = blocks.find((block) => block.label === 'human')!;
    expect(human.value).toContain('likes tea');
    expect(human.value).toContain('lives in Oslo');
    expect(human.version).toBe(3);

    harness.upstream.setDefault(echoResponder);
    await chat('what do you know?', { 'x-memgate-conversation': left.id });
    const prompt = promptText(harness.upstream.requests.at(-1));
    expect(prompt).toContain('likes tea');
    expect(prompt).toContain('lives in Oslo');
  });

  it('deletes a conversation with its messages; memory and the other conversations stay', async () => {
    const gone = await create();
    await chat('kept');
    await chat('dropped', { 'x-memgate-conversation': gone.id });
    expect((await call('DELETE', `/v1/agents/${agentId}/conversations/${gone.id}`)).status).toBe(204);
    expect(await history()).toEqual(['kept']);
    expect((await chat('late', { 'x-memgate-conversation': gone.id })).status).toBe(404);
  });
});
