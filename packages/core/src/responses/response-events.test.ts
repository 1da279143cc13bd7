import { describe, expect, it } from 'vitest';
import { MemgateError } from '../errors/memgate-error.ts';
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from '../schemas/chat-response.ts';
import { type ResponseStreamEvent, responseEventsOf } from './response-events.ts';
import { initialResponse, type ResponseObject } from './response-object.ts';

function chunk(delta: ChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    system_fingerprint: null,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  };
}

async function* chunksThen(chunks: ChatCompletionChunk[], failure?: unknown): AsyncGenerator<ChatCompletionChunk> {
  yield* chunks;
  if (failure) throw failure;
}

async function collect(chunks: AsyncGenerator<ChatCompletionChunk>, cancelled = false) {
  const finished: ResponseObject[] = [];
  const initial = initialResponse({ input: 'hi' }, { id: 'resp_1', createdAt: 1, model: 'm', conversationId: 'c' });
  const events: ResponseStreamEvent[] = [];
  const options = {
    finish: async (response: ResponseObject) => void finished.push(response),
    cancelled: () => cancelled,
  };
  for await (const event of responseEventsOf(chunks, initial, options)) events.push(event);
  return { events, finished };
}

describe('responseEventsOf', () => {
  it('numbers the events and closes the message before a function call opens', async () => {
    const { events, finished } = await collect(
      chunksThen([
        chunk({ role: 'assistant', content: 'Let me look.' }),
        chunk({
          tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a"' } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }),
        chunk({}, 'tool_calls'),
        { ...chunk({}), choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
      ]),
    );
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const completed = events.at(-1)?.['response'] as ResponseObject;
    expect(completed.output).toMatchObject([
      { type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Let me look.' }] },
      { type: 'function_call', status: 'completed', call_id: 'call_1', name: 'f', arguments: '{"a":1}' },
    ]);
    expect(completed.usage).toMatchObject({ input_tokens: 5, output_tokens: 2, total_tokens: 7 });
    expect(finished).toEqual([completed]);
  });

  it("streams the upstream's refusal as a refusal part", async () => {
    const { events } = await collect(
      chunksThen([chunk({ refusal: 'I cannot' }), chunk({ refusal: ' help.' }), chunk({}, 'stop')]),
    );
    expect(events.map((event) => event.type).slice(2, -1)).toEqual([
      'response.output_item.added',
      'response.content_part.added',
      'response.refusal.delta',
      'response.refusal.delta',
      'response.refusal.done',
      'response.content_part.done',
      'response.output_item.done',
    ]);
    const completed = events.at(-1)?.['response'] as ResponseObject;
    expect(completed.output).toMatchObject([
      { type: 'message', content: [{ type: 'refusal', refusal: 'I cannot help.' }] },
    ]);
  });

  it('ends a turn cut by the token limit with response.incomplete', async () => {
    const { events } = await collect(chunksThen([chunk({ content: 'Partial' }), chunk({}, 'length')]));
    expect(events.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
  });

  it('ends a failing turn with response.failed, and a cancelled one with status cancelled', async () => {
    const failure = new MemgateError('UPSTREAM_ERROR', 'The upstream failed.');
    const failed = await collect(chunksThen([chunk({ content: 'Half' })], failure));
    expect(failed.events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'server_error', message: 'The upstream failed.' } },
    });
    expect(failed.finished[0]?.output).toMatchObject([{ status: 'incomplete', content: [{ text: 'Half' }] }]);
    const cancelled = await collect(chunksThen([chunk({ content: 'Half' })], failure), true);
    expect(cancelled.events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { status: 'cancelled', error: null },
    });
  });
});
