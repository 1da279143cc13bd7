import { sendMessage } from '@memgate/testkit';
import {
  Agent,
  OpenAIConversationsSession,
  OpenAIResponsesModel,
  Runner,
  setTracingDisabled,
  tool,
} from '@openai/agents';
import OpenAI from 'openai';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useClientHarness } from './client-harness.ts';
import { clientToolCall } from './upstream-answers.ts';

const promptOf = (request: { body: { messages?: unknown } } | undefined) =>
  JSON.stringify(request?.body.messages ?? []);

describe('the OpenAI Conversations API with the real clients', () => {
  const harness = useClientHarness();
  let client: OpenAI;
  let agentId: string;

  beforeAll(() => {
    // The SDK's traces go to OpenAI's servers by default; a memgate client keeps them local.
    setTracingDisabled(true);
  });
  beforeEach(async () => {
    harness.upstream.reset();
    client = new OpenAI({ baseURL: harness.baseURL, apiKey: harness.apiKey, maxRetries: 0 });
    agentId = await harness.setup.createAgent({ name: 'conversations-clients' });
  });

  it('openai-node: conversations.create, items.create, items.list, items.retrieve, items.delete, delete', async () => {
    harness.upstream.script(sendMessage('Hello, Ada.'));
    const conversation = await client.conversations.create({
      metadata: { agent_id: agentId },
      items: [{ type: 'message', role: 'user', content: 'My name is Ada.' }],
    });
    expect(conversation).toMatchObject({ object: 'conversation', metadata: { agent_id: agentId } });
    const include: OpenAI.Responses.ResponseIncludable[] = ['message.output_text.logprobs'];
    const added = await client.conversations.items.create(conversation.id, {
      items: [{ type: 'message', role: 'assistant', content: 'Noted.' }],
      include,
    });
    expect(added.data).toHaveLength(1);
    const response = await client.responses.create({ conversation: conversation.id, input: 'Greet me.' });
    expect(response.output_text).toBe('Hello, Ada.');
    expect(response.conversation?.id).toBe(conversation.id);
    expect(promptOf(harness.upstream.requests.at(-1))).toContain('My name is Ada.');

    const items = await client.conversations.items.list(conversation.id, { order: 'asc', include });
    expect(
      items.data.map((item) =>
        item.type === 'message' ? [item.role, (item.content[0] as { text: string }).text] : [],
      ),
    ).toEqual([
      ['user', 'My name is Ada.'],
      ['assistant', 'Noted.'],
      ['user', 'Greet me.'],
      ['assistant', 'Hello, Ada.'],
    ]);
    const id = items.data[1]!.id as string;
    expect(await client.conversations.items.retrieve(id, { conversation_id: conversation.id, include })).toEqual(
      items.data[1],
    );
    await client.conversations.items.delete(id, { conversation_id: conversation.id });
    expect((await client.conversations.items.list(conversation.id)).data).toHaveLength(3);
    expect(await client.conversations.delete(conversation.id)).toMatchObject({ deleted: true });
    await expect(client.conversations.retrieve(conversation.id)).rejects.toMatchObject({ status: 404 });
  });

  it('@openai/agents: a Runner keeps its history in memgate through OpenAIConversationsSession', async () => {
    harness.upstream.script(
      sendMessage('Nice to meet you, Ada.'),
      clientToolCall('lookup_order', { id: 'A17' }),
      sendMessage('Ada, order A17 has shipped.'),
    );
    const lookupOrder = tool({
      name: 'lookup_order',
      description: 'Look up an order by id',
      parameters: z.object({ id: z.string() }),
      execute: async ({ id }) => `Order ${id} shipped on Monday.`,
    });
    const agent = new Agent({
      name: 'memgate agent',
      instructions: 'Be brief.',
      model: new OpenAIResponsesModel(client, agentId),
      tools: [lookupOrder],
    });
    // The SDK's own create sends `{items: []}`, naming no agent: the session takes a conversation made for one.
    const conversation = await client.conversations.create({ metadata: { agent_id: agentId } });
    const session = new OpenAIConversationsSession({ client, conversationId: conversation.id });
    const runner = new Runner({ tracingDisabled: true });

    const first = await runner.run(agent, 'My name is Ada.', { session });
    expect(first.finalOutput).toBe('Nice to meet you, Ada.');
    const second = await runner.run(agent, 'Where is order A17?', { session });
    expect(second.finalOutput).toBe('Ada, order A17 has shipped.');
    // The SDK ran the tool locally and sent its output back; the history it sent held the first exchange.
    const last = promptOf(harness.upstream.requests.at(-1));
    expect(last).toContain('Order A17 shipped on Monday.');
    expect(last).toContain('My name is Ada.');

    // The session's items are stored in memgate's conversation, shaped as Responses items.
    const items = await session.getItems();
    expect(items.map((item) => ('role' in item ? `${item.type}:${item.role}` : item.type))).toEqual([
      'message:user',
      'message:assistant',
      'message:user',
      'function_call',
      'function_call_result',
      'message:assistant',
    ]);
    const history = await client.conversations.items.list(conversation.id, { order: 'asc' });
    expect(history.data.map((item) => item.type)).toEqual([
      'message',
      'message',
      'message',
      'function_call',
      'function_call_output',
      'message',
    ]);
    // The SDK sends the history itself and names no conversation: its turns ran in the agent's default one.
    expect(await client.conversations.items.list(agentId, { order: 'asc' }).then((page) => page.data.length)).toBe(6);
    // popItem deletes the latest item through items.delete.
    await session.popItem();
    expect((await session.getItems()).length).toBe(5);
    await session.clearSession();
    await expect(client.conversations.retrieve(conversation.id)).rejects.toMatchObject({ status: 404 });
  });

  it('@openai/agents: a Runner with conversationId runs its turns in that memgate conversation, stored once', async () => {
    harness.upstream.script(sendMessage('Hi, Ada.'), sendMessage('Your name is Ada.'));
    const agent = new Agent({ name: 'memgate agent', model: new OpenAIResponsesModel(client, agentId) });
    const conversation = await client.conversations.create({ metadata: { agent_id: agentId } });
    const runner = new Runner({ tracingDisabled: true });
    await runner.run(agent, 'My name is Ada.', { conversationId: conversation.id });
    const second = await runner.run(agent, 'What is my name?', { conversationId: conversation.id });
    expect(second.finalOutput).toBe('Your name is Ada.');
    expect(promptOf(harness.upstream.requests.at(-1))).toContain('My name is Ada.');
    const items = await client.conversations.items.list(conversation.id, { order: 'asc' });
    expect(items.data.map((item) => (item.type === 'message' ? item.role : item.type))).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
  });
});
