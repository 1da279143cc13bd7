import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from '../schemas/chat-response.ts';
import { assembleCompletion } from './completion-assembler.ts';

const identity = {
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1700000000,
  model: 'mock-model',
} as const;
const usage = { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 };
const chunk = (delta: ChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk => ({
  ...identity,
  system_fingerprint: null,
  choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
});
const usageChunk: ChatCompletionChunk = { ...identity, system_fingerprint: null, choices: [], usage };

describe('assembleCompletion', () => {
  it('joins content deltas into the chat.completion of the same turn', () => {
    const completion = assembleCompletion([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hello ' }),
      chunk({ content: 'there' }),
      chunk({}, 'stop'),
      usageChunk,
    ]);
    expect(completion).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'mock-model',
      system_fingerprint: null,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello there', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage,
    });
  });

  it('keeps content null for a turn that only calls tools, and rebuilds the calls by index', () => {
    const completion = assembleCompletion([
      chunk({ role: 'assistant', content: '' }),
      chunk({
        tool_calls: [
          { index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"ci' } },
        ],
      }),
      chunk({
        tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Oslo"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk,
    ]);
    expect(completion?.choices[0]?.message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    });
    expect(completion?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('rebuilds a legacy function_call', () => {
    const completion = assembleCompletion([
      chunk({ role: 'assistant', content: '' }),
      chunk({ function_call: { name: 'lookup', arguments: '{"q":1}' } }),
      chunk({}, 'function_call'),
      usageChunk,
    ]);
    expect(completion?.choices[0]?.message.function_call).toEqual({ name: 'lookup', arguments: '{"q":1}' });
    expect(completion?.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it('returns null for a stream that has not finished', () => {
    expect(assembleCompletion([])).toBeNull();
    expect(assembleCompletion([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hal' })])).toBeNull();
    expect(assembleCompletion([chunk({ content: 'x' }, 'stop')])).toBeNull();
  });
});
