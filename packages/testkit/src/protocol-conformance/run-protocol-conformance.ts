import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendMessage } from '../mock-upstream/index.ts';
import { describeConversationConformance } from './conversation-conformance.ts';
import { fuzzCases } from './fuzz-cases.ts';
import { describeImageConformance } from './image-conformance.ts';
import { inputLimitCases } from './input-limit-cases.ts';
import { type ConformanceTarget, type ProtocolClient, turnIdsOf } from './protocol-client.ts';
import { requestSurfaceCases } from './request-surface-cases.ts';
import { RestSetup } from './rest-setup.ts';
import { contentChunks, expectWellFormedStream, streamedText } from './stream-assertions.ts';

const user = (content: string) => ({ role: 'user', content });
const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});
const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

/**
 * The protocol conformance suite: the same inputs must give the same replies, finish reasons,
 * usage, stream shape and error statuses on every protocol (REST, GraphQL, WebSocket, the Responses API).
 */
export function runProtocolConformance(name: string, start: () => Promise<ConformanceTarget>): void {
  describe(`protocol conformance: ${name}`, () => {
    let target: ConformanceTarget;
    let client: ProtocolClient;
    let rest: RestSetup;
    let agentId: string;

    beforeAll(async () => {
      target = await start();
      client = await target.client(target.apiKey);
      rest = new RestSetup(target.baseUrl, target.apiKey);
    });
    afterAll(async () => {
      await client?.close();
      await target?.close();
    });
    beforeEach(async () => {
      target.upstream.reset();
      agentId = await rest.createAgent({ name: 'conformance' });
    });

    requestSurfaceCases(() => ({ target, client, rest, agentId }));
    describeImageConformance(() => ({ target, client, rest, agentId }));
    describeConversationConformance(() => ({ target, client, rest, agentId }));
    inputLimitCases(() => ({ target, client, rest, agentId }));
    fuzzCases(() => ({ target, client, rest, agentId }));

    it('replies with the send_message text and the upstream usage', async () => {
      target.upstream.script(sendMessage('Hello there', { usage: usage(11, 7) }));
      const outcome = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Hi')] });
      if (!outcome.ok) throw new Error(outcome.error.message);
      const { completion } = outcome;
      expect(completion.object).toBe('chat.completion');
      expect(completion.id).toMatch(turnIdsOf(client));
      expect(Number.isInteger(completion.created)).toBe(true);
      expect(completion.model).toBe('mock-model');
      expect(completion.choices[0]?.message.content).toBe('Hello there');
      expect(completion.choices[0]?.finish_reason).toBe('stop');
      expect(completion.usage).toEqual(usage(11, 7));
    });

    it('chains heartbeats, stores memory edits and sums usage over upstream calls', async () => {
      target.upstream.script(
        {
          toolCalls: [
            {
              name: 'core_memory_append',
              arguments: { label: 'human', content: 'Likes tea', request_heartbeat: true },
            },
          ],
          usage: usage(20, 5),
        },
        sendMessage('Noted: tea.', { usage: usage(30, 4) }),
      );
      const outcome = await client.complete({ model: 'mock-model', user: agentId, messages: [user('I like tea')] });
      if (!outcome.ok) throw new Error(outcome.error.message);
      expect(outcome.completion.choices[0]?.message.content).toBe('Noted: tea.');
      expect(outcome.completion.usage).toEqual(usage(50, 9));
      expect((await rest.memory(agentId)).find((block) => block.label === 'human')?.value).toContain('Likes tea');
      expect(target.upstream.requests).toHaveLength(2);
    });

    it('joins several send_message calls of one turn with a blank line', async () => {
      target.upstream.script({
        toolCalls: [
          { name: 'send_message', arguments: { message: 'One.' } },
          { name: 'send_message', arguments: { message: 'Two.' } },
        ],
      });
      const outcome = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Count')] });
      if (!outcome.ok) throw new Error(outcome.error.message);
      expect(outcome.completion.choices[0]?.message.content).toBe('One.\n\nTwo.');
    });

    it('takes a plain-text answer as the reply', async () => {
      target.upstream.script({ content: 'Just text.' });
      const outcome = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Hi')] });
      if (!outcome.ok) throw new Error(outcome.error.message);
      expect(outcome.completion.choices[0]?.message.content).toBe('Just text.');
    });

    it('streams the reply in several chunks with role first, finish once and usage last', async () => {
      const reply = 'The quick brown fox jumps over the lazy dog.';
      target.upstream.script(sendMessage(reply, { chunkSize: 5, usage: usage(12, 9) }));
      const outcome = await client.stream({
        model: 'mock-model',
        user: agentId,
        stream: true,
        stream_options: { include_usage: true },
        messages: [user('Tell me')],
      });
      if (!outcome.ok) throw new Error(outcome.error.message);
      expect(outcome.error).toBeUndefined();
      expectWellFormedStream(outcome.chunks, true, turnIdsOf(client));
      expect(streamedText(outcome.chunks)).toBe(reply);
      expect(contentChunks(outcome.chunks).length).toBeGreaterThanOrEqual(3);
      expect(outcome.chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('stop');
      expect(outcome.chunks.at(-1)?.usage).toEqual(usage(12, 9));
    });

    it('sends no usage chunk unless include_usage is asked for', async () => {
      target.upstream.script(sendMessage('Short.'));
      const outcome = await client.stream({ model: 'mock-model', user: agentId, stream: true, messages: [user('Hi')] });
      if (!outcome.ok) throw new Error(outcome.error.message);
      expectWellFormedStream(outcome.chunks, false, turnIdsOf(client));
      expect(streamedText(outcome.chunks)).toBe('Short.');
    });

    it('hands client tool calls to the client and resumes the turn with its result', async () => {
      target.upstream.script({
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_weather1' }],
      });
      const first = await client.complete({
        model: 'mock-model',
        user: agentId,
        tools: [weatherTool],
        messages: [user('Weather in Paris?')],
      });
      if (!first.ok) throw new Error(first.error.message);
      const choice = first.completion.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.tool_calls?.[0]).toMatchObject({
        id: 'call_weather1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      });

      target.upstream.script(sendMessage('It is sunny in Paris.'));
      const second = await client.complete({
        model: 'mock-model',
        user: agentId,
        tools: [weatherTool],
        messages: [
          user('Weather in Paris?'),
          { role: 'assistant', content: null, tool_calls: choice.message.tool_calls },
          { role: 'tool', tool_call_id: 'call_weather1', content: 'sunny, 21C' },
        ],
      });
      if (!second.ok) throw new Error(second.error.message);
      expect(second.completion.choices[0]?.message.content).toBe('It is sunny in Paris.');
      const sent = target.upstream.requests.at(-1)!.body.messages;
      expect(sent.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_weather1', content: 'sunny, 21C' });
      const stored = await rest.messages(agentId);
      expect(stored.filter((message) => message.role === 'user')).toHaveLength(1);
    });

    it('streams client tool calls with index, id, type and name on their first delta', async () => {
      target.upstream.script({
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_weather2' }],
      });
      const outcome = await client.stream({
        model: 'mock-model',
        user: agentId,
        stream: true,
        tools: [weatherTool],
        messages: [user('Weather in Oslo?')],
      });
      if (!outcome.ok) throw new Error(outcome.error.message);
      expectWellFormedStream(outcome.chunks, false, turnIdsOf(client));
      const deltas = outcome.chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
      expect(deltas[0]).toMatchObject({
        index: 0,
        id: 'call_weather2',
        type: 'function',
        function: { name: 'get_weather' },
      });
      expect(deltas.map((delta) => delta.function?.arguments ?? '').join('')).toBe('{"city":"Oslo"}');
      expect(outcome.chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe(
        'tool_calls',
      );
    });

    describe('structured output (response_format)', () => {
      const schema = {
        type: 'object',
        properties: { city: { type: 'string' }, temperature: { type: 'number' } },
        required: ['city', 'temperature'],
        additionalProperties: false,
      };
      const structured = (extra: Record<string, unknown> = {}) => ({
        model: 'mock-model',
        user: agentId,
        response_format: { type: 'json_schema', json_schema: { name: 'weather', schema, strict: true } },
        messages: [user('Weather in Oslo?')],
        ...extra,
      });
      const sendJson = (message: unknown) => ({ toolCalls: [{ name: 'send_message', arguments: { message } }] });

      it('offers send_message typed with the schema and returns the JSON reply', async () => {
        target.upstream.script(
          {
            toolCalls: [
              {
                name: 'core_memory_append',
                arguments: { label: 'human', content: 'Asks about Oslo', request_heartbeat: true },
              },
            ],
          },
          sendJson({ city: 'Oslo', temperature: 4 }),
        );
        const outcome = await client.complete(structured());
        if (!outcome.ok) throw new Error(outcome.error.message);
        expect(JSON.parse(outcome.completion.choices[0]?.message.content ?? '')).toEqual({
          city: 'Oslo',
          temperature: 4,
        });
        expect(outcome.completion.choices[0]?.finish_reason).toBe('stop');
        const offered = target.upstream.requests[0]!.body.tools?.find((tool) => tool.function.name === 'send_message');
        expect(offered?.function.parameters).toMatchObject({ properties: { message: schema }, required: ['message'] });
        // The memory tools still run in a structured turn, and everything is stored once it answered.
        expect((await rest.memory(agentId)).find((block) => block.label === 'human')?.value).toContain('Oslo');
        expect((await rest.messages(agentId)).map((message) => message.role)).toEqual([
          'user',
          'assistant',
          'tool',
          'assistant',
          'tool',
        ]);
      });

      it('asks for one repair when the reply does not validate, and answers the repaired reply', async () => {
        target.upstream.script(sendJson({ city: 'Oslo' }), sendJson({ city: 'Oslo', temperature: 4 }));
        const outcome = await client.complete(structured());
        if (!outcome.ok) throw new Error(outcome.error.message);
        expect(JSON.parse(outcome.completion.choices[0]?.message.content ?? '')).toEqual({
          city: 'Oslo',
          temperature: 4,
        });
        const repair = target.upstream.requests[1]!.body.messages.at(-1);
        expect(repair).toMatchObject({ role: 'tool' });
        expect(String(repair?.content)).toMatch(/must have required property 'temperature'/);
      });

      it('fails with 502 after an invalid repair and stores only the user message', async () => {
        target.upstream.script(sendJson({ city: 'Oslo' }), sendJson({ temperature: 'cold' }));
        const completed = await client.complete(structured());
        expect(completed.ok ? 200 : completed.error.status).toBe(502);
        if (!completed.ok) expect(completed.error.message).toMatch(/did not match the JSON Schema "weather"/);
        expect((await rest.messages(agentId)).map((message) => [message.role, message.content])).toEqual([
          ['user', 'Weather in Oslo?'],
        ]);

        target.upstream.script(sendJson({ city: 'Oslo' }), sendJson({ temperature: 'cold' }));
        const streamed = await client.stream({ ...structured(), stream: true });
        // Nothing of an invalid reply is ever relayed: the stream is refused before its first chunk.
        expect(streamed.ok ? 200 : streamed.error.status).toBe(502);
        expect((await rest.messages(agentId)).filter((message) => message.role !== 'user')).toEqual([]);
      });

      it('streams the validated JSON text as content', async () => {
        target.upstream.script(sendJson({ city: 'Oslo', temperature: 4 }));
        const outcome = await client.stream({ ...structured(), stream: true, stream_options: { include_usage: true } });
        if (!outcome.ok) throw new Error(outcome.error.message);
        expect(outcome.error).toBeUndefined();
        expectWellFormedStream(outcome.chunks, true, turnIdsOf(client));
        expect(JSON.parse(streamedText(outcome.chunks))).toEqual({ city: 'Oslo', temperature: 4 });
      });

      it('honours json_object: any JSON object, also from a plain-text answer', async () => {
        target.upstream.script({ content: 'not json' }, { content: '{"ok": true}' });
        const outcome = await client.complete({
          model: 'mock-model',
          user: agentId,
          response_format: { type: 'json_object' },
          messages: [user('Answer in JSON.')],
        });
        if (!outcome.ok) throw new Error(outcome.error.message);
        expect(outcome.completion.choices[0]?.message.content).toBe('{"ok":true}');
      });

      it('passes a refusal through as message.refusal and delta.refusal', async () => {
        target.upstream.script({ refusal: 'I cannot help with that.' });
        const completed = await client.complete(structured());
        if (!completed.ok) throw new Error(completed.error.message);
        const choice = completed.completion.choices[0]!;
        expect(choice.message).toMatchObject({ content: null, refusal: 'I cannot help with that.' });
        expect(choice.finish_reason).toBe('stop');

        target.upstream.script({ refusal: 'I cannot help with that.' });
        const streamed = await client.stream({ ...structured(), stream: true });
        if (!streamed.ok) throw new Error(streamed.error.message);
        expectWellFormedStream(streamed.chunks, false, turnIdsOf(client));
        expect(streamed.chunks.map((chunk) => chunk.choices[0]?.delta.refusal ?? '').join('')).toBe(
          'I cannot help with that.',
        );
        expect(streamedText(streamed.chunks)).toBe('');
      });

      const refused: [string, () => Record<string, unknown>, RegExp][] = [
        [
          'a malformed JSON Schema',
          () =>
            structured({ response_format: { type: 'json_schema', json_schema: { name: 'w', schema: { type: 7 } } } }),
          /Invalid JSON Schema/,
        ],
        [
          'a json_schema without a name',
          () => structured({ response_format: { type: 'json_schema', json_schema: { schema } } }),
          /required/i,
        ],
        [
          'json_object when no message mentions JSON',
          () => structured({ response_format: { type: 'json_object' } }),
          /must contain the word 'json'/,
        ],
      ];
      for (const [label, body, message] of refused) {
        it(`refuses ${label} with 422 on both paths and stores nothing`, async () => {
          const completed = await client.complete(body());
          expect(completed.ok ? 200 : completed.error.status).toBe(422);
          if (!completed.ok) expect(completed.error.message).toMatch(message);
          const streamed = await client.stream({ ...body(), stream: true });
          expect(streamed.ok ? 200 : streamed.error.status).toBe(422);
          expect(await rest.messages(agentId)).toEqual([]);
          expect(target.upstream.requests).toHaveLength(0);
        });
      }
    });

    describe('errors', () => {
      const cases: [string, number, () => Record<string, unknown>][] = [
        ['an unknown agent', 404, () => ({ model: 'mock-model', user: 'agent-unknown', messages: [user('Hi')] })],
        ['empty messages', 422, () => ({ model: 'mock-model', user: agentId, messages: [] })],
        [
          'a temperature out of range',
          422,
          () => ({ model: 'mock-model', user: agentId, temperature: 3, messages: [user('Hi')] }),
        ],
        [
          'a tool message for no pending call',
          422,
          () => ({
            model: 'mock-model',
            user: agentId,
            messages: [{ role: 'tool', tool_call_id: 'call_nope', content: 'x' }],
          }),
        ],
        [
          'messages with no new input after the last assistant message',
          422,
          () => ({
            model: 'mock-model',
            user: agentId,
            messages: [user('Hi'), { role: 'assistant', content: 'Hello' }],
          }),
        ],
      ];
      for (const [label, status, body] of cases) {
        it(`refuses ${label} with ${status} on both paths and stores nothing`, async () => {
          const completed = await client.complete(body());
          expect(completed.ok ? 200 : completed.error.status).toBe(status);
          const streamed = await client.stream({ ...body(), stream: true });
          expect(streamed.ok ? 200 : streamed.error.status).toBe(status);
          expect(await rest.messages(agentId)).toEqual([]);
          expect(target.upstream.requests).toHaveLength(0);
        });
      }

      it("answers 404 for another user's agent", async () => {
        const other = await target.client(target.otherApiKey);
        try {
          const outcome = await other.complete({ model: 'mock-model', user: agentId, messages: [user('Hi')] });
          expect(outcome.ok ? 200 : outcome.error.status).toBe(404);
        } finally {
          await other.close();
        }
        expect(await rest.messages(agentId)).toEqual([]);
      });

      it('refuses a turn with a read-only key with 403 on both paths and stores nothing', async () => {
        const reader = await target.client(target.readApiKey);
        try {
          const body = { model: 'mock-model', user: agentId, messages: [user('Hi')] };
          const completed = await reader.complete(body);
          expect(completed.ok ? 200 : completed.error.status).toBe(403);
          if (!completed.ok) expect(completed.error.message).toMatch(/read-only/);
          const streamed = await reader.stream({ ...body, stream: true });
          expect(streamed.ok ? 200 : streamed.error.status).toBe(403);
        } finally {
          await reader.close();
        }
        expect(await rest.messages(agentId)).toEqual([]);
        expect(target.upstream.requests).toHaveLength(0);
        // The same key reads the agent's history.
        expect(await new RestSetup(target.baseUrl, target.readApiKey).messages(agentId)).toEqual([]);
      });

      it('answers 401 without credentials', async () => {
        const anonymous = await target.client(null).catch((error: unknown) => error);
        if (anonymous instanceof Error) {
          // Protocols that refuse unauthenticated connections outright report the status on connect.
          expect(anonymous.message).toMatch(/401|unauth/i);
          return;
        }
        const outcome = await (anonymous as ProtocolClient).complete({
          model: 'mock-model',
          user: agentId,
          messages: [user('Hi')],
        });
        await (anonymous as ProtocolClient).close();
        expect(outcome.ok ? 200 : outcome.error.status).toBe(401);
      });

      const upstreamFailures: [string, number, Record<string, unknown>][] = [
        ['a 500', 502, { error: { status: 500 } }],
        ['a garbled body', 502, { garbled: true }],
        ['a 429', 429, { error: { status: 429, headers: { 'retry-after': '3' } } }],
      ];
      for (const [label, status, scripted] of upstreamFailures) {
        it(`maps an upstream ${label} to ${status} and keeps the agent usable`, async () => {
          target.upstream.script(scripted, scripted);
          const completed = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Hi')] });
          expect(completed.ok ? 200 : completed.error.status).toBe(status);
          const streamed = await client.stream({
            model: 'mock-model',
            user: agentId,
            stream: true,
            messages: [user('Hi')],
          });
          expect(streamed.ok ? 200 : streamed.error.status).toBe(status);

          target.upstream.script(sendMessage('Back again.'));
          const next = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Hello?')] });
          if (!next.ok) throw new Error(next.error.message);
          expect(next.completion.choices[0]?.message.content).toBe('Back again.');
        });
      }
    });
  });
}
