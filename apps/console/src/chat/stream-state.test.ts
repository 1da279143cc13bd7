import { describe, expect, it } from 'vitest';
import { applyChunk, endStream, startStream } from './stream-state.ts';

describe('stream state', () => {
  it('accumulates the reply token by token and keeps the finish reason', () => {
    let state = startStream('hi', new Set(['m1']));
    state = applyChunk(state, { choices: [{ delta: { content: 'Hel' } }] });
    state = applyChunk(state, { choices: [{ delta: { content: 'lo' } }] });
    state = applyChunk(state, { choices: [{ delta: {}, finishReason: 'stop' }] });
    state = applyChunk(state, { choices: [] });
    expect(state).toMatchObject({ text: 'Hello', finishReason: 'stop', status: 'streaming', userText: 'hi' });
    expect(endStream(state, null).status).toBe('done');
  });

  it('returns the same state for a chunk that changes nothing (no re-render)', () => {
    const state = startStream('hi', new Set());
    expect(applyChunk(state, { choices: [{ delta: { content: '' } }] })).toBe(state);
  });

  it('keeps the stop reason of a turn a limit ended', () => {
    const state = applyChunk(startStream('hi', new Set()), {
      choices: [{ delta: {}, finishReason: 'length', stopReason: { message: 'max steps reached' } }],
    });
    expect(state.stopReason).toBe('max steps reached');
  });

  it('fails with the error and keeps what streamed; a later end changes nothing', () => {
    const streamed = applyChunk(startStream('hi', new Set()), { choices: [{ delta: { content: 'Par' } }] });
    const failed = endStream(streamed, { message: 'upstream failed', requestId: 'req-1' });
    expect(failed).toMatchObject({ status: 'failed', text: 'Par', error: { requestId: 'req-1' } });
    expect(endStream(failed, null)).toBe(failed);
  });
});
