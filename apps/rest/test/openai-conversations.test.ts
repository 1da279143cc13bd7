import { echoResponder, type ScriptedResponse, sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

function clientToolCall(name: string, args: Record<string, unknown>): ScriptedResponse {
  return { toolCalls: [{ name, arguments: args }] };
}

const lookupTool = {
  type: 'function' as const,
  name: 'lookup_order',
  parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  strict: false,
};

describe('the OpenAI Conversations API over REST', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let other: ReturnType<typeof api>;
  let client: OpenAI;
  let agentId: string;

  beforeAll(async () => {
    harness = await startRestHarness();
    call = api(harness.baseUrl, harness.apiKey);
    other = api(harness.baseUrl, harness.otherApiKey);
    client = new OpenAI({ baseURL: `${harness.baseUrl}/v1`, apiKey: harness.apiKey, maxRetries: 0 });
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.upstream.reset();
    harness.upstream.setDefault(echoResponder);
    agentId = (await call('POST', '/v1/agents', {})).body['id'] as string;
  });

  const conversationCount = async () =>
    ((await call('GET', `/v1/agents/${agentId}/conversations`)).body.data ?? []).length;
  const historyOf = async (conversationId: string, hidden = false) =>
    (
      (await call('GET', `/v1/agents/${agentId}/conversations/${conversationId}/messages?include_hidden=${hidden}`))
        .body.data as { role: string; content: string | null; hidden?: boolean }[]
    ).map((message) => [message.role, message.content, message.hidden ?? false]);

  it('conversations.create, retrieve, update and delete answer OpenAI’s shapes over memgate’s conversations', async () => {
    const created = await client.conversations.create({
      metadata: { agent_id: agentId, topic: 'travel' },
      items: [{ type: 'message', role: 'user', content: 'Plan a trip to Oslo.' }],
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^conv_/),
      object: 'conversation',
      created_at: expect.any(Number),
      metadata: { agent_id: agentId, topic: 'travel' },
    });
    expect(Math.abs(created.created_at - Date.now() / 1000)).toBeLessThan(3600);
    // The same conversation on memgate's own routes, with its first item stored.
    const own = await call('GET', `/v1/agents/${agentId}/conversations/${created.id}`);
    expect(own.body).toMatchObject({ id: created.id, agent_id: agentId, is_default: false });
    expect(await historyOf(created.id)).toEqual([['user', 'Plan a trip to Oslo.', false]]);

    expect(await client.conversations.retrieve(created.id)).toEqual(created);
    const updated = await client.conversations.update(created.id, { metadata: { topic: 'work' } });
    expect(updated).toEqual({ ...created, metadata: { topic: 'work' } });

    // The agent named by `user` (memgate's addition), with no metadata: metadata is {}.
    const byUser = await call('POST', '/v1/conversations', { user: agentId });
    expect(byUser.status).toBe(200);
    expect(byUser.body).toMatchObject({ object: 'conversation', metadata: {} });

    expect(await client.conversations.delete(created.id)).toEqual({
      id: created.id,
      object: 'conversation.deleted',
      deleted: true,
    });
    expect((await call('GET', `/v1/conversations/${created.id}`)).status).toBe(404);
    // The default conversation is the agent's: 409, as on memgate's route.
    const defaultOne = await call('DELETE', `/v1/conversations/${agentId}`);
    expect(defaultOne.status).toBe(409);
    expect((await call('GET', `/v1/conversations/${agentId}`)).body).toMatchObject({ id: agentId });
  });

  it('lists a turn’s messages as Responses items, and pages them with limit, after and order', async () => {
    harness.upstream.script(
      clientToolCall('lookup_order', { id: 'A17' }),
      sendMessage('A17 has shipped.'),
      sendMessage('You are welcome.'),
    );
    const conversation = await client.conversations.create({ metadata: { agent_id: agentId } });
    const first = await client.responses.create({
      model: agentId,
      conversation: conversation.id,
      input: 'Where is order A17?',
      tools: [lookupTool],
    });
    const fc = first.output[0] as { call_id: string };
    await client.responses.create({
      conversation: conversation.id,
      input: [{ type: 'function_call_output', call_id: fc.call_id, output: 'Shipped Monday.' }],
      tools: [lookupTool],
    });
    await client.responses.create({ conversation: conversation.id, input: 'Thanks!' });

    const all = await client.conversations.items.list(conversation.id, { order: 'asc' });
    const shapes = all.data.map((item) =>
      item.type === 'message'
        ? [item.type, item.role, item.content.map((part) => ('text' in part ? part.text : part.type)).join()]
        : item.type === 'function_call'
          ? [item.type, item.name, item.arguments]
          : item.type === 'function_call_output'
            ? [item.type, item.call_id, item.output]
            : [item.type],
    );
    expect(shapes).toEqual([
      ['message', 'user', 'Where is order A17?'],
      ['function_call', 'lookup_order', '{"id":"A17"}'],
      ['function_call_output', fc.call_id, 'Shipped Monday.'],
      ['message', 'assistant', 'A17 has shipped.'],
      ['message', 'user', 'Thanks!'],
      ['message', 'assistant', 'You are welcome.'],
    ]);
    expect(all.data[0]).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_text', text: 'Where is order A17?' }],
    });
    expect(all.data[1]).toMatchObject({ id: expect.stringMatching(/^fc_/), call_id: fc.call_id, status: 'completed' });
    expect(all.data[3]).toMatchObject({
      content: [{ type: 'output_text', text: 'A17 has shipped.', annotations: [], logprobs: [] }],
    });

    // Newest first by default, two at a time, following `after` to the end.
    const ids = all.data.map((item) => item.id);
    const firstPage = await call('GET', `/v1/conversations/${conversation.id}/items?limit=2`);
    expect(firstPage.body).toEqual({
      object: 'list',
      data: [all.data[5], all.data[4]],
      first_id: ids[5],
      last_id: ids[4],
      has_more: true,
    });
    const seen: string[] = [];
    for await (const item of client.conversations.items.list(conversation.id, { limit: 2 }))
      seen.push(item.id as string);
    expect(seen).toEqual([...ids].reverse());
    const ascending = await call('GET', `/v1/conversations/${conversation.id}/items?order=asc&limit=2&after=${ids[1]}`);
    expect(ascending.body).toMatchObject({ data: [all.data[2], all.data[3]], has_more: true });
    const last = await call('GET', `/v1/conversations/${conversation.id}/items?order=asc&after=${ids[4]}`);
    expect(last.body).toMatchObject({ data: [all.data[5]], first_id: ids[5], last_id: ids[5], has_more: false });

    expect(await client.conversations.items.retrieve(ids[1]!, { conversation_id: conversation.id })).toEqual(
      all.data[1],
    );
    // The agent's memory tool calls and their results are memgate's own, never items.
    expect(JSON.stringify(all.data)).not.toContain('send_message');
  });

  it('items.create stores messages and answers a pending call without a turn; the next turn sees them', async () => {
    harness.upstream.script(clientToolCall('lookup_order', { id: 'B2' }), sendMessage('Noted.'));
    const conversation = await client.conversations.create({ metadata: { agent_id: agentId } });
    const first = await client.responses.create({
      model: agentId,
      conversation: conversation.id,
      input: 'Where is B2?',
      tools: [lookupTool],
    });
    const fc = first.output[0] as { call_id: string };
    const requestsBefore = harness.upstream.requests.length;
    const added = await client.conversations.items.create(conversation.id, {
      items: [
        { type: 'function_call_output', call_id: fc.call_id, output: 'Lost in transit.' },
        { type: 'message', role: 'developer', content: 'Apologise for the delay.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'So where is it?' }] },
      ],
    });
    expect(harness.upstream.requests.length).toBe(requestsBefore);
    expect(added).toMatchObject({ object: 'list', has_more: false });
    expect(added.data.map((item) => [item.type, 'role' in item ? item.role : null])).toEqual([
      ['function_call_output', null],
      ['message', 'developer'],
      ['message', 'user'],
    ]);
    expect(added.first_id).toBe(added.data[0]!.id);
    // The call is closed: a turn runs on the items, which are in its prompt.
    const next = await client.responses.create({ conversation: conversation.id, input: 'Please answer.' });
    expect(next.output_text).toBe('Noted.');
    const prompt = JSON.stringify(harness.upstream.requests.at(-1)?.body.messages);
    expect(prompt).toContain('Lost in transit.');
    expect(prompt).toContain('Apologise for the delay.');
    expect(prompt).toContain('So where is it?');
  });

  it('items.delete hides the item’s messages (with its whole tool exchange) from the window and lists', async () => {
    harness.upstream.script(clientToolCall('lookup_order', { id: 'C3' }), sendMessage('C3 is late.'));
    const conversation = await client.conversations.create({
      metadata: { agent_id: agentId },
      items: [
        { type: 'message', role: 'user', content: 'keep me' },
        { type: 'message', role: 'assistant', content: 'kept' },
      ],
    });
    const first = await client.responses.create({
      model: agentId,
      conversation: conversation.id,
      input: 'Where is C3?',
      tools: [lookupTool],
    });
    const fc = first.output[0] as { call_id: string };
    await client.responses.create({
      conversation: conversation.id,
      input: [{ type: 'function_call_output', call_id: fc.call_id, output: 'Delayed.' }],
      tools: [lookupTool],
    });
    const items = (await client.conversations.items.list(conversation.id, { order: 'asc' })).data;
    expect(items.map((item) => item.type)).toEqual([
      'message',
      'message',
      'message',
      'function_call',
      'function_call_output',
      'message',
    ]);
    const question = items[2]!;
    expect(
      await client.conversations.items.delete(question.id as string, { conversation_id: conversation.id }),
    ).toMatchObject({
      id: conversation.id,
      object: 'conversation',
    });
    // Deleting the call's output hides the call with it: a call is never parted from its result.
    await client.conversations.items.delete(items[4]!.id as string, { conversation_id: conversation.id });
    const left = (await client.conversations.items.list(conversation.id, { order: 'asc' })).data;
    expect(left.map((item) => item.id)).toEqual([items[0]!.id, items[1]!.id, items[5]!.id]);
    const missing = await call('GET', `/v1/conversations/${conversation.id}/items/${question.id}`);
    expect(missing.status).toBe(404);
    expect(missing.body['error']).toMatchObject({ code: 'item_not_found' });
    expect((await call('DELETE', `/v1/conversations/${conversation.id}/items/${question.id}`)).status).toBe(404);
    // Hidden, not gone: memgate's own route lists them with include_hidden, and the next turn's window lacks them.
    expect((await historyOf(conversation.id, true)).filter(([, , hidden]) => hidden).length).toBeGreaterThanOrEqual(3);
    harness.upstream.script(sendMessage('Fine.'));
    await client.responses.create({ conversation: conversation.id, input: 'Next question' });
    const prompt = JSON.stringify(harness.upstream.requests.at(-1)?.body.messages);
    expect(prompt).toContain('keep me');
    expect(prompt).not.toContain('Where is C3?');
    expect(prompt).not.toContain('Delayed.');
  });

  it('refuses bad input with a 422 that changes nothing, and another user’s or an unknown id with a 404', async () => {
    const conversation = await client.conversations.create({ metadata: { agent_id: agentId } });
    const path = `/v1/conversations/${conversation.id}`;
    const count = await conversationCount();
    const refused = async (method: string, route: string, body: unknown, status: number, fragment: string) => {
      const answer = await call(method, route, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect(JSON.stringify(answer.body['error'])).toContain(fragment);
    };
    await refused('POST', '/v1/conversations', {}, 422, 'metadata.agent_id');
    await refused('POST', '/v1/conversations', { metadata: { agent_id: 'agent-nope' } }, 404, 'agent_not_found');
    await refused('POST', '/v1/conversations', { metadata: { agent_id: agentId }, colour: 'red' }, 422, 'colour');
    await refused(
      'POST',
      '/v1/conversations',
      { metadata: { agent_id: agentId }, items: [{ type: 'function_call_output', call_id: 'call_x', output: 'x' }] },
      422,
      'no_pending_call',
    );
    await refused(
      'POST',
      '/v1/conversations',
      { metadata: { agent_id: agentId }, items: [{ type: 'reasoning', id: 'rs_1', summary: [] }] },
      422,
      'reasoning',
    );
    expect(await conversationCount()).toBe(count);

    await refused('POST', `${path}/items`, { items: [] }, 422, 'items');
    await refused('POST', `${path}/items`, { items: [{ type: 'item_reference', id: 'msg_1' }] }, 422, 'item_reference');
    await refused(
      'POST',
      `${path}/items`,
      { items: [{ type: 'function_call_output', call_id: 'call_none', output: 'x' }] },
      422,
      'no_pending_call',
    );
    await refused(
      'POST',
      `${path}/items`,
      { items: [{ type: 'message', role: 'user', content: 'fine' }, { type: 'file_search_call' }] },
      422,
      'items.1',
    );
    await refused(
      'POST',
      `${path}/items`,
      { items: [{ type: 'function_call', call_id: 'c1', name: 'send_message', arguments: '{}' }] },
      422,
      'reserved',
    );
    await refused('GET', `${path}/items?limit=0`, undefined, 422, 'limit');
    await refused('GET', `${path}/items?order=sideways`, undefined, 422, 'order');
    await refused('GET', `${path}/items?after=msg_message-unknown`, undefined, 404, 'item_not_found');
    await refused('POST', path, { metadata: { agent_id: 'x'.repeat(600) } }, 422, 'metadata');
    expect((await client.conversations.items.list(conversation.id)).data).toEqual([]);
    expect((await client.conversations.retrieve(conversation.id)).metadata).toEqual({ agent_id: agentId });

    // Another user's conversation and items are as absent as unknown ones.
    await call('POST', `${path}/items`, { items: [{ type: 'message', role: 'user', content: 'mine' }] });
    const [item] = (await client.conversations.items.list(conversation.id)).data;
    for (const [method, route, body] of [
      ['GET', path, undefined],
      ['POST', path, { metadata: { a: 'b' } }],
      ['DELETE', path, undefined],
      ['GET', `${path}/items`, undefined],
      ['POST', `${path}/items`, { items: [{ type: 'message', role: 'user', content: 'theirs' }] }],
      ['GET', `${path}/items/${item!.id}`, undefined],
      ['DELETE', `${path}/items/${item!.id}`, undefined],
    ] as const) {
      const answer = await other(method, route, body);
      expect(answer.status, `${method} ${route}`).toBe(404);
    }
    expect((await call('GET', '/v1/conversations/conv_missing')).status).toBe(404);
    expect((await call('GET', `${path}/items/msg_nope`)).status).toBe(404);
    expect((await call('GET', `${path}/items/bogus`)).status).toBe(404);
    // Another user's agent cannot be named.
    expect((await other('POST', '/v1/conversations', { metadata: { agent_id: agentId } })).status).toBe(404);
    expect((await client.conversations.items.list(conversation.id)).data).toHaveLength(1);
  });
});
