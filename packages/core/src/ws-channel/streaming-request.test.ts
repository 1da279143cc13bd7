import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../schemas/chat-response.ts';
import { isUsageChunk, streamingRequest } from './streaming-request.ts';

describe('streamingRequest', () => {
  it('always streams and asks for usage, remembering whether the client did', () => {
    expect(streamingRequest({ model: 'm', stream: false })).toEqual({
      body: { model: 'm', stream: true, stream_options: { include_usage: true } },
      clientWantsUsage: false,
    });
    expect(streamingRequest({ stream_options: { include_usage: true } }).clientWantsUsage).toBe(true);
    expect(streamingRequest({ stream_options: { include_obfuscation: false } }).body['stream_options']).toEqual({
      include_obfuscation: false,
      include_usage: true,
    });
  });

  it('leaves values of the wrong type for validation to refuse', () => {
    expect(streamingRequest({ stream: 'yes', stream_options: 'all' }).body).toEqual({
      stream: 'yes',
      stream_options: 'all',
    });
  });
});

describe('isUsageChunk', () => {
  const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', system_fingerprint: null } as const;
  it('recognises only the trailing usage chunk', () => {
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    expect(isUsageChunk({ ...base, choices: [], usage })).toBe(true);
    const content: ChatCompletionChunk = {
      ...base,
      choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null, logprobs: null }],
    };
    expect(isUsageChunk(content)).toBe(false);
  });
});
