import { echoResponder, type RecordedRequest, type ScriptedResponse, sendMessage } from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

interface MessageBody {
  id: string;
  role: string;
  content: string | null;
  conversation_id: string;
  hidden?: boolean;
}

/** The text of the messages of an upstream request, joined. */
function promptText(request: RecordedRequest | undefined): string {
  return JSON.stringify(request?.body.messages ?? []);
}

/** An agent turn that searches its history and asks to continue. */
function search(query: string, scope: 'conversation' | 'agent'): ScriptedResponse {
  return { toolCalls: [{ name: 'conversation_search', arguments: { query, scope, request_heartbeat: true } }] };
}

describe('conversations: fork, rewind, restore and transcript reconciliation', () => {
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

  const base = () => `/v1/agents/${agentId}/conversations`;
  const create = async () => (await call('POST', base(), {})).body['id'] as string;
  const chatIn = (conversationId: string, content: string) =>
    call(
      'POST',
      '/v1/chat/completions',
      { model: 'mock-model', user: agentId, messages: [{ role: 'user', content }] },
      { 'x-memgate-conversation': conversationId },
    );
  const messages = async (conversationId: string, query = '') =>
    (await call('GET', `${base()}/${conversationId}/messages${query}`)).body.data as MessageBody[];
  const userTexts = async (conversationId: string, query = '') =>
    (await messages(conversationId, query)).filter((message) => message.role === 'user').map((m) => m.content);
  /** The last message before the user message `content`: where a rewind or fork just before it cuts. */
  const before = async (conversationId: string, content: string) => {
    const all = await messages(conversationId);
    const index = all.findIndex((message) => message.role === 'user' && message.content === content);
    return all[index - 1]!.id;
  };
  /** What conversation_search answered in a turn of the conversation. */
  const searched = async (conversationId: string, query: string, scope: 'conversation' | 'agent') => {
    harness.upstream.script(search(query, scope), sendMessage('Done.'));
    expect((await chatIn(conversationId, 'look it up')).status).toBe(200);
    const result = harness.upstream.requests.at(-1)?.body.messages.findLast((message) => message.role === 'tool');
    return JSON.parse(String(result?.content)) as { message: string; results?: { content: string }[] };
  };

  it('forks a conversation from an older message: the fork continues from there, the source is untouched', async () => {
    const source = await create();
    for (const text of ['first question', 'second question', 'third question']) {
      expect((await chatIn(source, text)).status).toBe(200);
    }
    const at = await before(source, 'second question');
    const forked = await call('POST', `${base()}/${source}/fork`, { at_message_id: at, name: 'branch' });
    expect(forked.status).toBe(201);
    expect(forked.body).toMatchObject({ object: 'conversation', name: 'branch', is_default: false, agent_id: agentId });
    const fork = forked.body['id'] as string;
    expect(await userTexts(fork)).toEqual(['first question']);
    expect((await messages(fork)).every((message) => message.conversation_id === fork)).toBe(true);

    expect((await chatIn(fork, 'another second question')).status).toBe(200);
    const prompt = promptText(harness.upstream.requests.at(-1));
    expect(prompt).toContain('first question');
    expect(prompt).not.toContain('third question');
    expect(await userTexts(source)).toEqual(['first question', 'second question', 'third question']);

    // Without a message: the whole history.
    const whole = await call('POST', `${base()}/${source}/fork`, {});
    expect(await userTexts(whole.body['id'] as string)).toEqual([
      'first question',
      'second question',
      'third question',
    ]);
  });

  it('answers the client tool calls a fork would leave open; the source keeps waiting for its result', async () => {
    const source = await create();
    harness.upstream.script({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const tools = [
      {
        type: 'function',
        function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      },
    ];
    const asked = await call(
      'POST',
      '/v1/chat/completions',
      { model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'weather?' }], tools },
      { 'x-memgate-conversation': source },
    );
    const choices = asked.body['choices'] as { finish_reason: string; message: { tool_calls: { id: string }[] } }[];
    expect(choices[0]!.finish_reason).toBe('tool_calls');
    const fork = (await call('POST', `${base()}/${source}/fork`, {})).body['id'] as string;
    const last = (await messages(fork)).at(-1)!;
    expect(last).toMatchObject({ role: 'tool' });
    expect(last.content).toContain('forked');
    expect((await chatIn(fork, 'never mind')).status).toBe(200);
    // The source's call is still open: its result is taken.
    const callId = choices[0]!.message.tool_calls[0]!.id;
    const answered = await call(
      'POST',
      '/v1/chat/completions',
      {
        model: 'mock-model',
        user: agentId,
        messages: [
          { role: 'user', content: 'weather?' },
          { role: 'assistant', content: null, tool_calls: choices[0]!.message.tool_calls },
          { role: 'tool', tool_call_id: callId, content: 'sunny' },
        ],
        tools,
      },
      { 'x-memgate-conversation': source },
    );
    expect(answered.status).toBe(200);
  });

  it('refuses forks of unknown messages or conversations, bad bodies and other users, creating nothing', async () => {
    const source = await create();
    await chatIn(source, 'hello');
    const elsewhere = (await messages(agentId)).length;
    expect(elsewhere).toBe(0);
    await call('POST', '/v1/chat/completions', {
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: 'in the default one' }],
    });
    const defaultMessage = (await messages(agentId))[0]!.id;
    const unknown = await call('POST', `${base()}/${source}/fork`, { at_message_id: 'message-missing' });
    expect(unknown.status).toBe(404);
    expect(unknown.body['error']).toMatchObject({ code: 'message_not_found' });
    expect((await call('POST', `${base()}/${source}/fork`, { at_message_id: defaultMessage })).status).toBe(404);
    expect((await call('POST', `${base()}/conv_missing/fork`, {})).status).toBe(404);
    expect((await call('POST', `${base()}/${source}/fork`, { at: 'x' })).status).toBe(422);
    expect((await other('POST', `${base()}/${source}/fork`, {})).status).toBe(404);
    const listed = (await call('GET', base())).body.data as { id: string }[];
    expect(listed.map((conversation) => conversation.id)).toEqual([agentId, source]);
  });

  it('rewinds: a new turn and search no longer see the hidden messages, a restore brings them back', async () => {
    const conversation = await create();
    await chatIn(conversation, 'I like zebras');
    await chatIn(conversation, 'My quokka is called Bob');
    const to = await before(conversation, 'My quokka is called Bob');

    const rewound = await call('POST', `${base()}/${conversation}/rewind`, { to_message_id: to });
    expect(rewound.status).toBe(200);
    expect(rewound.body['hidden']).toBeGreaterThanOrEqual(2);
    expect(rewound.body['conversation']).toMatchObject({ id: conversation });
    expect(await userTexts(conversation)).toEqual(['I like zebras']);
    const all = await messages(conversation, '?include_hidden=true');
    const quokka = all.find((message) => message.content === 'My quokka is called Bob')!;
    expect(quokka.hidden).toBe(true);
    expect(all.filter((message) => message.hidden).length).toBe(rewound.body['hidden']);
    expect(all.filter((message) => !message.hidden).every((message) => !('hidden' in message))).toBe(true);

    // A hidden message is no cut point; bad bodies and other users change nothing.
    expect((await call('POST', `${base()}/${conversation}/rewind`, { to_message_id: quokka.id })).status).toBe(404);
    expect((await call('POST', `${base()}/${conversation}/rewind`, {})).status).toBe(422);
    expect((await other('POST', `${base()}/${conversation}/rewind`, { to_message_id: to })).status).toBe(404);
    expect((await other('POST', `${base()}/${conversation}/restore`)).status).toBe(404);

    expect((await chatIn(conversation, 'what animals do I like?')).status).toBe(200);
    const prompt = promptText(harness.upstream.requests.at(-1));
    expect(prompt).toContain('zebras');
    expect(prompt).not.toContain('quokka');
    expect((await searched(conversation, 'quokka', 'conversation')).message).toBe('No results found for "quokka".');
    expect((await searched(conversation, 'quokka', 'agent')).message).toBe('No results found for "quokka".');

    const restored = await call('POST', `${base()}/${conversation}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body['restored']).toBe(rewound.body['hidden']);
    expect(await userTexts(conversation)).toContain('My quokka is called Bob');
    expect((await messages(conversation, '?include_hidden=true')).some((message) => message.hidden)).toBe(false);
    const found = await searched(conversation, 'quokka', 'agent');
    expect(found.results?.map((hit) => hit.content)).toContain('My quokka is called Bob');
    expect((await chatIn(conversation, 'and now?')).status).toBe(200);
    expect(promptText(harness.upstream.requests.at(-1))).toContain('quokka');
  });

  describe('transcript reconciliation', () => {
    const chatUi = async (transcript: { role: string; content: string }[], headers: Record<string, string> = {}) =>
      call(
        'POST',
        '/v1/chat/completions',
        { model: 'mock-model', user: agentId, messages: [{ role: 'system', content: 'Be brief.' }, ...transcript] },
        headers,
      );
    const reply = (response: Awaited<ReturnType<typeof chatUi>>) => {
      const choices = response.body['choices'] as { message: { content: string } }[];
      return { role: 'assistant', content: choices[0]!.message.content };
    };
    const user = (content: string) => ({ role: 'user', content });

    it('stores a chat UI’s regenerated question once, and an edited one in place of the old', async () => {
      const ui = { 'x-openwebui-chat-id': `chat-${agentId}` };
      const first = await chatUi([user('q1')], ui);
      expect(first.status).toBe(200);
      expect(first.headers.get('x-memgate-rewound')).toBeNull();
      const conversation = first.headers.get('x-memgate-conversation')!;
      const a1 = reply(first);
      const second = await chatUi([user('q1'), a1, user('q2')], ui);
      expect(second.headers.get('x-memgate-rewound')).toBeNull();

      // Regenerate: the same transcript again, without the last answer.
      const regenerated = await chatUi([user('q1'), a1, user('q2')], ui);
      expect(regenerated.status).toBe(200);
      expect(Number(regenerated.headers.get('x-memgate-rewound'))).toBeGreaterThanOrEqual(2);
      expect(await userTexts(conversation)).toEqual(['q1', 'q2']);
      const hidden = (await messages(conversation, '?include_hidden=true')).filter((message) => message.hidden);
      expect(hidden.map((message) => message.content)).toContain('q2');
      // The turn saw q2 once.
      expect(promptText(harness.upstream.requests.at(-1)).split('q2').length - 1).toBe(1);

      // Edit of a later question: everything from it on is rewound.
      const edited = await chatUi([user('q1'), a1, user('q2, edited')], ui);
      expect(Number(edited.headers.get('x-memgate-rewound'))).toBeGreaterThanOrEqual(2);
      expect(await userTexts(conversation)).toEqual(['q1', 'q2, edited']);

      // Going on normally rewinds nothing.
      const next = await chatUi([user('q1'), a1, user('q2, edited'), reply(edited), user('q3')], ui);
      expect(next.headers.get('x-memgate-rewound')).toBeNull();
      expect(await userTexts(conversation)).toEqual(['q1', 'q2, edited', 'q3']);

      // A request that shares nothing with the chat (a chat UI's title or tags task, sent with the
      // chat's id) hides nothing; asked for explicitly, a new first question rewinds the whole chat.
      const task = await chatUi([user('### Task: suggest a title')], ui);
      expect(task.status).toBe(200);
      expect(task.headers.get('x-memgate-rewound')).toBeNull();
      expect(await userTexts(conversation)).toEqual(['q1', 'q2, edited', 'q3', '### Task: suggest a title']);
      // An ephemeral turn writes nothing, a rewind included.
      const ephemeral = await call(
        'POST',
        '/v1/chat/completions',
        { model: 'mock-model', user: agentId, store: false, messages: [user('another start')] },
        { ...ui, 'x-memgate-transcript': 'reconcile' },
      );
      expect(ephemeral.status).toBe(200);
      expect(ephemeral.headers.get('x-memgate-rewound')).toBeNull();
      expect(await userTexts(conversation)).toEqual(['q1', 'q2, edited', 'q3', '### Task: suggest a title']);
      const restart = await chatUi([user('q1, edited')], { ...ui, 'x-memgate-transcript': 'reconcile' });
      expect(Number(restart.headers.get('x-memgate-rewound'))).toBeGreaterThanOrEqual(8);
      expect(await userTexts(conversation)).toEqual(['q1, edited']);
    });

    it('reconciles the default conversation only when asked, and refuses other header values', async () => {
      const first = await chatUi([user('q1')]);
      const a1 = reply(first);
      await chatUi([user('q1'), a1, user('q2')]);
      // append (the default here): a regenerate stores the question again.
      await chatUi([user('q1'), a1, user('q2')], { 'x-memgate-transcript': 'append' });
      expect(await userTexts(agentId)).toEqual(['q1', 'q2', 'q2']);
      const reconciled = await chatUi([user('q1'), a1, user('q2')], { 'x-memgate-transcript': 'reconcile' });
      expect(reconciled.status).toBe(200);
      expect(Number(reconciled.headers.get('x-memgate-rewound'))).toBeGreaterThan(0);
      expect(await userTexts(agentId)).toEqual(['q1', 'q2']);

      const refused = await chatUi([user('q1'), a1, user('q9')], { 'x-memgate-transcript': 'replace' });
      expect(refused.status).toBe(422);
      expect(JSON.stringify(refused.body['error'])).toContain('X-Memgate-Transcript');
      expect(await userTexts(agentId)).toEqual(['q1', 'q2']);
      // A divergent transcript whose new input is refused rewinds nothing.
      const bad = await call(
        'POST',
        '/v1/chat/completions',
        {
          model: 'mock-model',
          user: agentId,
          messages: [user('q1'), a1, { role: 'tool', tool_call_id: 'call_none', content: 'x' }],
        },
        { 'x-memgate-transcript': 'reconcile' },
      );
      expect(bad.status).toBe(422);
      expect(bad.headers.get('x-memgate-rewound')).toBeNull();
      expect(await userTexts(agentId, '?include_hidden=true')).toEqual(['q1', 'q2', 'q2', 'q2']);
      expect(await userTexts(agentId)).toEqual(['q1', 'q2']);
    });
  });
});
