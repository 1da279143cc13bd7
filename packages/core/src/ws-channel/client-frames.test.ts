import { describe, expect, it } from 'vitest';
import { parseClientFrame } from './client-frames.ts';

const statusOf = (text: string) => {
  const parsed = parseClientFrame(text);
  return parsed.ok ? 200 : parsed.error.status;
};

describe('parseClientFrame', () => {
  it('parses every client frame of the contract', () => {
    const frames = [
      { type: 'auth', token: 'key' },
      { type: 'chat.completion.create', request_id: 'r1', request: { model: 'm', messages: [] } },
      {
        type: 'chat.completion.create',
        request_id: 'r1',
        request: {},
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        tracestate: 'vendor=1',
      },
      { type: 'chat.completion.cancel', request_id: 'r1' },
      { type: 'agent.subscribe', agent_id: 'agent-1' },
      { type: 'agent.unsubscribe', agent_id: 'agent-1' },
      { type: 'ping' },
    ];
    for (const frame of frames) expect(parseClientFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it('reports malformed JSON, non-objects and unknown types as 422', () => {
    const malformed = parseClientFrame('{"type": "ping"');
    expect(malformed.ok || malformed.error.detailCode).toBe('malformed_frame');
    expect(statusOf('[1, 2]')).toBe(422);
    expect(statusOf('{"type": 7}')).toBe(422);
    const unknown = parseClientFrame('{"type": "chat.completion.launch", "request_id": "r9"}');
    expect(unknown).toMatchObject({ ok: false, requestId: 'r9' });
    expect(unknown.ok || unknown.error.detailCode).toBe('unknown_frame_type');
  });

  it('keeps the request_id of an invalid frame and names the bad field', () => {
    const parsed = parseClientFrame(
      JSON.stringify({ type: 'chat.completion.create', request_id: 'r2', request: 'hi' }),
    );
    if (parsed.ok) throw new Error('expected a failure');
    expect(parsed.requestId).toBe('r2');
    expect(parsed.error.status).toBe(422);
    expect(parsed.error.validation?.[0]?.loc).toEqual(['frame', 'request']);
  });

  it('refuses unknown fields and empty ids, as REST refuses unknown arguments', () => {
    expect(statusOf(JSON.stringify({ type: 'ping', extra: true }))).toBe(422);
    expect(statusOf(JSON.stringify({ type: 'chat.completion.cancel', request_id: '' }))).toBe(422);
    expect(statusOf(JSON.stringify({ type: 'auth' }))).toBe(422);
    const traced = (traceparent: unknown) =>
      statusOf(JSON.stringify({ type: 'chat.completion.create', request_id: 'r1', request: {}, traceparent }));
    expect(traced(7)).toBe(422);
    expect(traced('0'.repeat(513))).toBe(422);
  });
});
