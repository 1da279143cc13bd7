import { echoResponder, type RecordedRequest, type ScriptedResponse, sendMessage } from '@memgate/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

function clientToolCall(name: string, args: Record<string, unknown>): ScriptedResponse {
  return { toolCalls: [{ name, arguments: args }] };
}

/** The messages of an upstream request, as text. */
function promptText(request: RecordedRequest | undefined): string {
  return JSON.stringify(request?.body.messages ?? []);
}

const lookupTool = {
  type: 'function' as const,
  name: 'lookup_order',
  description: 'Look up an order by id',
  parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  strict: false,
};

describe('the Responses API over REST', () => {
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

  const messageCount = async () => ((await call('GET', `/v1/agents/${agentId}/messages`)).body.data ?? []).length;

  it('responses.create answers with OpenAI’s response object, stored for GET, input_items and DELETE', async () => {
    harness.upstream.script({
      ...sendMessage('Hello from the agent.'),
      usage: { prompt_tokens: 40, completion_tokens: 6 },
    });
    const response = await client.responses.create({
      model: agentId,
      input: 'Hi there',
      instructions: 'Be brief.',
      metadata: { topic: 'greeting' },
    });
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      instructions: 'Be brief.',
      metadata: { topic: 'greeting' },
      previous_response_id: null,
      conversation: { id: agentId },
      error: null,
      incomplete_details: null,
    });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output_text).toBe('Hello from the agent.');
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello from the agent.', annotations: [], logprobs: [] }],
      },
    ]);
    expect(response.usage).toEqual({
      input_tokens: expect.any(Number),
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: expect.any(Number),
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: expect.any(Number),
    });
    // The instructions reach the upstream for this turn only.
    expect(promptText(harness.upstream.requests[0])).toContain('Be brief.');

    const { output_text: _text, ...stored } = await client.responses.retrieve(response.id);
    const { output_text: _created, ...created } = response;
    expect(stored).toEqual(created);
    const items = await client.responses.inputItems.list(response.id);
    expect(items.data).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_text', text: 'Hi there' }],
      },
    ]);
    // Another user sees none of it.
    expect((await other('GET', `/v1/responses/${response.id}`)).status).toBe(404);
    expect((await other('DELETE', `/v1/responses/${response.id}`)).status).toBe(404);
    await client.responses.delete(response.id);
    expect((await call('GET', `/v1/responses/${response.id}`)).status).toBe(404);
  });

  it('store: false runs an ephemeral turn and keeps no response', async () => {
    harness.upstream.script(sendMessage('Not kept.'));
    const response = await client.responses.create({ model: agentId, input: 'Forget this', store: false });
    expect(response.output_text).toBe('Not kept.');
    expect((response as unknown as { store: boolean }).store).toBe(false);
    expect((await call('GET', `/v1/responses/${response.id}`)).status).toBe(404);
    expect(await messageCount()).toBe(0);
  });

  it('responses.stream sends the typed events in order with sequence numbers', async () => {
    harness.upstream.script({ ...sendMessage('Streaming answer.'), chunkSize: 4 });
    const stream = client.responses.stream({ model: agentId, input: 'Stream please' });
    const types: string[] = [];
    const sequence: number[] = [];
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
    }
    const final = await stream.finalResponse();
    expect(final.status).toBe('completed');
    expect(final.output_text).toBe('Streaming answer.');
    expect(sequence).toEqual(sequence.map((_, index) => index));
    const deltas = types.filter((type) => type === 'response.output_text.delta').length;
    expect(deltas).toBeGreaterThan(0);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(deltas).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const stored = await client.responses.retrieve(final.id);
    expect(stored.output_text).toBe('Streaming answer.');
    expect(stored.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('a function tool round trip: function_call item, then function_call_output with previous_response_id', async () => {
    harness.upstream.script(clientToolCall('lookup_order', { id: 'A17' }), sendMessage('A17 has shipped.'));
    const first = await client.responses.create({ model: agentId, input: 'Where is A17?', tools: [lookupTool] });
    const [item] = first.output;
    expect(item).toMatchObject({ type: 'function_call', name: 'lookup_order', status: 'completed' });
    if (item?.type !== 'function_call') throw new Error('expected a function call');
    expect(JSON.parse(item.arguments)).toEqual({ id: 'A17' });
    expect(item.id).toMatch(/^fc_/);

    const second = await client.responses.create({
      model: agentId,
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: item.call_id, output: 'Shipped on Monday.' }],
      tools: [lookupTool],
    });
    expect(second.output_text).toBe('A17 has shipped.');
    expect(second.previous_response_id).toBe(first.id);
    expect(second.conversation).toEqual(first.conversation);
    const tool = harness.upstream.requests.at(-1)?.body.messages.findLast((message) => message.role === 'tool');
    expect(tool?.content).toBe('Shipped on Monday.');
  });

  it('the same function_call_output for no pending call is a 422 on both APIs, and stores nothing', async () => {
    const before = await messageCount();
    const responses = await call('POST', '/v1/responses', {
      model: agentId,
      input: [{ type: 'function_call_output', call_id: 'call_none', output: 'x' }],
    });
    const chat = await call('POST', '/v1/chat/completions', {
      model: agentId,
      messages: [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_none', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_none', content: 'x' },
      ],
    });
    expect(responses.status).toBe(422);
    expect(chat.status).toBe(422);
    expect((responses.body['error'] as { message: string }).message).toBe(
      (chat.body['error'] as { message: string }).message,
    );
    expect(await messageCount()).toBe(before);
  });

  it('previous_response_id continues the conversation of the latest response', async () => {
    harness.upstream.script(sendMessage('First answer.'), sendMessage('Second answer.'));
    const first = await client.responses.create({ model: agentId, input: 'My name is Ada.' });
    const second = await client.responses.create({ previous_response_id: first.id, input: 'What is my name?' });
    expect(second.conversation).toEqual(first.conversation);
    expect(promptText(harness.upstream.requests[1])).toContain('My name is Ada.');
  });

  it('previous_response_id of an older response forks its conversation at that response', async () => {
    harness.upstream.script(sendMessage('One.'), sendMessage('Two.'), sendMessage('Other two.'));
    const first = await client.responses.create({ model: agentId, input: 'first question' });
    const second = await client.responses.create({ previous_response_id: first.id, input: 'second question' });
    const fork = await client.responses.create({ previous_response_id: first.id, input: 'another second question' });
    expect(second.conversation).toEqual(first.conversation);
    expect(fork.conversation?.id).not.toBe(first.conversation?.id);
    const prompt = promptText(harness.upstream.requests[2]);
    expect(prompt).toContain('first question');
    expect(prompt).not.toContain('"second question"');
    expect(prompt).toContain('another second question');
    // The fork is a conversation of the agent; the original one kept its history.
    const conversation = await call('GET', `/v1/agents/${agentId}/conversations/${fork.conversation?.id}`);
    expect(conversation.status).toBe(200);
  });

  it('forwards the sampling and caching fields on every upstream call and echoes them', async () => {
    harness.upstream.script(
      {
        toolCalls: [
          { name: 'core_memory_append', arguments: { label: 'human', content: 'x', request_heartbeat: true } },
        ],
      },
      sendMessage('Forwarded.'),
    );
    const response = await client.responses.create({
      model: agentId,
      input: 'hi',
      reasoning: { effort: 'low', summary: 'auto' },
      text: { verbosity: 'low' },
      service_tier: 'flex',
      prompt_cache_key: 'my-key',
      prompt_cache_retention: '24h',
      safety_identifier: 'user-hash',
      // Accepted: a memgate turn has no reasoning items or hosted tools for them to apply to.
      include: ['reasoning.encrypted_content'],
      max_tool_calls: 3,
      top_logprobs: 0,
    });
    expect(response.status).toBe('completed');
    for (const request of harness.upstream.requests) {
      expect(request.body).toMatchObject({
        reasoning_effort: 'low',
        verbosity: 'low',
        service_tier: 'flex',
        prompt_cache_key: 'my-key',
        prompt_cache_retention: '24h',
        safety_identifier: 'user-hash',
      });
    }
    expect(harness.upstream.requests).toHaveLength(2);
    expect(response).toMatchObject({
      reasoning: { effort: 'low', summary: 'auto' },
      text: { verbosity: 'low' },
      service_tier: 'flex',
      prompt_cache_key: 'my-key',
      safety_identifier: 'user-hash',
      max_tool_calls: 3,
    });
  });

  it('refuses what it cannot honour with a 4xx and a reason, storing nothing', async () => {
    const before = await messageCount();
    expect(before).toBe(0);
    const refused = async (body: Record<string, unknown>, status: number, fragment: string) => {
      const answer = await call('POST', '/v1/responses', { model: agentId, input: 'hi', ...body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect((answer.body['error'] as { message: string }).message).toContain(fragment);
    };
    await refused({ tools: [{ type: 'web_search' }] }, 422, 'hosted tools');
    await refused({ background: true }, 422, 'background is not supported: background responses are not available yet');
    await refused({ input: [{ type: 'reasoning', id: 'rs_1', summary: [] }] }, 422, '"reasoning"');
    await refused({ input: [{ type: 'message', role: 'user', content: 5 }] }, 422, 'input.0');
    await refused({ input: [{ type: 'function_call_output', output: 'no call id' }] }, 422, 'input.0');
    await refused({ previous_response_id: 'resp_missing' }, 404, 'resp_missing');
    await refused({ conversation: 'conv_missing' }, 404, 'conv_missing');
    await refused({ model: 'no-such-agent' }, 404, 'No agent found');
    // Every field OpenAI knows is honoured, forwarded or refused with its reason; others are unknown.
    await refused({ seed: 7 }, 422, 'Unrecognized request argument supplied: seed');
    await refused({ prompt: { id: 'pmpt_1' } }, 422, 'prompt is not supported: reusable prompts');
    await refused({ include: ['message.output_text.logprobs'] }, 422, 'include is not supported');
    await refused({ top_logprobs: 3 }, 422, 'top_logprobs is not supported');
    await refused({ moderation: {} }, 422, 'moderation is not supported');
    await refused({ text: { verbosity: 'loud' } }, 422, 'text.verbosity');
    expect(await messageCount()).toBe(0);
    harness.upstream.script(sendMessage('ok'));
    const first = await client.responses.create({ model: agentId, input: 'hello' });
    const conversation = (await call('POST', `/v1/agents/${agentId}/conversations`, {})).body['id'] as string;
    const afterFirst = await messageCount();
    await refused({ previous_response_id: first.id, conversation }, 422, 'belongs to conversation');
    // Another user's response is as absent as a missing one.
    const answer = await other('POST', '/v1/responses', { model: 'x', input: 'hi', previous_response_id: first.id });
    expect(answer.status).toBe(404);
    expect(await messageCount()).toBe(afterFirst);
    expect(afterFirst).toBeGreaterThan(before);
  });

  it('names the agent by metadata.agent_id and runs in a named conversation', async () => {
    const conversation = (await call('POST', `/v1/agents/${agentId}/conversations`, {})).body['id'] as string;
    harness.upstream.script(sendMessage('In the conversation.'));
    const response = await client.responses.create({ input: 'hi', conversation, model: 'gpt-whatever' } as never);
    expect(response.conversation).toEqual({ id: conversation });
    harness.upstream.script(sendMessage('By metadata.'));
    const byMetadata = await call('POST', '/v1/responses', { input: 'hi', metadata: { agent_id: agentId } });
    expect(byMetadata.status).toBe(200);
    expect(byMetadata.body['conversation']).toEqual({ id: agentId });
  });

  it('cancels a streaming response in flight; a finished one cannot be cancelled', async () => {
    harness.upstream.script({
      ...sendMessage('This answer never finishes streaming, however long one waits for it.'),
      chunkSize: 4,
      hangAfterChunks: 10,
    });
    const stream = client.responses.stream({ model: agentId, input: 'Take your time' });
    const types: string[] = [];
    let cancelled: OpenAI.Responses.Response | undefined;
    let id = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.created') id = event.response.id;
      if (event.type === 'response.output_text.delta' && !cancelled) cancelled = await client.responses.cancel(id);
      if (event.type === 'response.failed') expect(event.response.status).toBe('cancelled');
    }
    expect(cancelled?.status).toBe('cancelled');
    expect(types.at(-1)).toBe('response.failed');
    const again = await call('POST', `/v1/responses/${cancelled?.id}/cancel`);
    expect(again.status).toBe(400);
    expect((await call('POST', '/v1/responses/resp_missing/cancel')).status).toBe(404);
  });

  it('text.format json_schema gives structured output, parsed by responses.parse', async () => {
    const weather = { city: 'Oslo', temperature: 4 };
    harness.upstream.script({ toolCalls: [{ name: 'send_message', arguments: { message: weather } }] });
    const response = await client.responses.parse({
      model: agentId,
      input: 'Weather in Oslo?',
      text: {
        format: {
          type: 'json_schema',
          name: 'weather',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, temperature: { type: 'number' } },
            required: ['city', 'temperature'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(response.output_parsed).toEqual(weather);
  });

  it('max_output_tokens reaches the upstream as max_completion_tokens and is echoed', async () => {
    harness.upstream.script(sendMessage('Short.'));
    const response = await call('POST', '/v1/responses', {
      model: agentId,
      input: 'Long story',
      max_output_tokens: 16,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'completed', max_output_tokens: 16 });
    expect(harness.upstream.requests[0]?.body).toMatchObject({ max_completion_tokens: 16 });
  });

  it('an upstream failure before any output is an HTTP error on a stream too, as on Chat Completions', async () => {
    const failure = { error: { status: 500 } };
    harness.upstream.script(failure, failure, failure, failure);
    const responses = await call('POST', '/v1/responses', { model: agentId, input: 'hi', stream: true });
    harness.upstream.script(failure, failure, failure, failure);
    const chat = await call('POST', '/v1/chat/completions', {
      model: agentId,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(responses.status).toBe(chat.status);
    expect(responses.status).toBeGreaterThanOrEqual(500);
    expect((responses.body['error'] as { code: string }).code).toBe((chat.body['error'] as { code: string }).code);
  });
});
