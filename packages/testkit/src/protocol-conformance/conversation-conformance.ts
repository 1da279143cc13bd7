import { expect, it } from 'vitest';
import { sendMessage } from '../mock-upstream/index.ts';
import type { ConformanceTarget, ProtocolClient } from './protocol-client.ts';
import type { RestSetup } from './rest-setup.ts';
import { streamedText } from './stream-assertions.ts';

/** What the conversation cases need from the suite's current test. */
export interface ConversationCaseContext {
  target: ConformanceTarget;
  client: ProtocolClient;
  rest: RestSetup;
  agentId: string;
}

const user = (content: string) => ({ role: 'user', content });

/** The user messages of a conversation's history, as REST lists them. */
async function userTexts(rest: RestSetup, agentId: string, conversationId: string): Promise<unknown[]> {
  const path = `/v1/agents/${agentId}/conversations/${conversationId}/messages?limit=1000`;
  const { data } = await rest.request<{ data: { role: string; content: unknown }[] }>('GET', path);
  return data.filter((message) => message.role === 'user').map((message) => message.content);
}

/** Conversations (issue 15): every protocol names one the same way and gets the same refusals. */
export function describeConversationConformance(current: () => ConversationCaseContext): void {
  it('runs turns, whole and streamed, in the conversation the call names; the default one stays apart', async () => {
    const { target, client, rest, agentId } = current();
    const { id } = await rest.request<{ id: string }>('POST', `/v1/agents/${agentId}/conversations`, {});
    target.upstream.script(
      sendMessage('In the default one.'),
      sendMessage('In the new one.'),
      sendMessage('Streamed.'),
    );
    const body = (content: string) => ({ model: 'mock-model', user: agentId, messages: [user(content)] });
    const first = await client.complete(body('default'));
    if (!first.ok) throw new Error(first.error.message);
    const second = await client.complete(body('named'), { conversationId: id });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.completion.choices[0]?.message.content).toBe('In the new one.');
    const streamed = await client.stream(body('named, streamed'), { conversationId: id });
    if (!streamed.ok) throw new Error(streamed.error.message);
    expect(streamedText(streamed.chunks)).toBe('Streamed.');

    expect(await userTexts(rest, agentId, agentId)).toEqual(['default']);
    expect(await userTexts(rest, agentId, id)).toEqual(['named', 'named, streamed']);
    // The named conversation's prompts never held the default one's messages.
    const prompt = JSON.stringify(target.upstream.requests.at(-1)?.body.messages);
    expect(prompt).toContain('named, streamed');
    expect(prompt).not.toContain('"default"');
  });

  it('refuses an unknown conversation (404) and another agent’s (422), storing nothing', async () => {
    const { target, client, rest, agentId } = current();
    const second = await rest.createAgent({ name: 'second' });
    const { id: theirs } = await rest.request<{ id: string }>('POST', `/v1/agents/${second}/conversations`, {});
    const body = { model: 'mock-model', user: agentId, messages: [user('hello')] };
    const unknown = await client.complete(body, { conversationId: 'conv_missing' });
    expect(unknown.ok ? 200 : unknown.error.status).toBe(404);
    const unknownStream = await client.stream(body, { conversationId: 'conv_missing' });
    expect(unknownStream.ok ? 200 : unknownStream.error.status).toBe(404);
    const mismatch = await client.complete(body, { conversationId: theirs });
    expect(mismatch.ok ? 200 : mismatch.error.status).toBe(422);
    expect(await rest.messages(agentId)).toEqual([]);
    expect(target.upstream.requests).toHaveLength(0);
  });

  it('runs the next turn on the conversation as a rewind left it, on every protocol', async () => {
    const { target, client, rest, agentId } = current();
    const { id } = await rest.request<{ id: string }>('POST', `/v1/agents/${agentId}/conversations`, {});
    target.upstream.script(sendMessage('Noted.'), sendMessage('Noted too.'), sendMessage('After.'));
    const body = (content: string) => ({ model: 'mock-model', user: agentId, messages: [user(content)] });
    for (const content of ['kept message', 'dropped message']) {
      const turn = await client.complete(body(content), { conversationId: id });
      if (!turn.ok) throw new Error(turn.error.message);
    }
    const path = `/v1/agents/${agentId}/conversations/${id}`;
    const { data } = await rest.request<{ data: { id: string; content: unknown }[] }>('GET', `${path}/messages`);
    const to = data[data.findIndex((message) => message.content === 'dropped message') - 1]!.id;
    await rest.request('POST', `${path}/rewind`, { to_message_id: to });
    const after = await client.complete(body('after the rewind'), { conversationId: id });
    if (!after.ok) throw new Error(after.error.message);
    const prompt = JSON.stringify(target.upstream.requests.at(-1)?.body.messages);
    expect(prompt).toContain('kept message');
    expect(prompt).not.toContain('dropped message');
    expect(await userTexts(rest, agentId, id)).toEqual(['kept message', 'after the rewind']);
  });
}
