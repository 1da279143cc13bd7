import { describe, expect, it } from 'vitest';
import { buildTimeline, pendingCalls, type TimelineMessage } from './timeline.ts';

const call = (id: string, name: string, args: object) => ({
  id,
  type: 'function',
  function: { name, arguments: JSON.stringify(args) },
});

// The shape the server stores for "my name is Ada" on the offline model (seen through GraphQL).
const turn: TimelineMessage[] = [
  { id: 'm1', role: 'user', content: 'my name is Ada' },
  {
    id: 'm2',
    role: 'assistant',
    content: 'The user told me their name.',
    toolCalls: [call('c1', 'core_memory_append', { label: 'human', content: 'Name: Ada' })],
  },
  { id: 'm3', role: 'tool', content: '{"status":"OK"}', toolCallId: 'c1', name: 'core_memory_append' },
  {
    id: 'm4',
    role: 'assistant',
    content: null,
    toolCalls: [call('c2', 'send_message', { message: 'Nice to meet you, Ada!' })],
  },
  { id: 'm5', role: 'tool', content: '{"status":"OK","message":"Sent."}', toolCallId: 'c2', name: 'send_message' },
];

describe('buildTimeline', () => {
  it('makes one reply of a turn: the sent text, the monologue and each tool call with its result', () => {
    const items = buildTimeline(turn);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ kind: 'user', key: 'm1', text: 'my name is Ada' });
    const reply = items[1];
    if (reply?.kind !== 'reply') throw new Error('no reply');
    expect(reply.texts).toEqual(['Nice to meet you, Ada!']);
    expect(reply.steps.map((step) => step.kind)).toEqual(['thought', 'tool']);
    expect(reply.steps[1]).toMatchObject({
      call: { name: 'core_memory_append' },
      result: '{"status":"OK"}',
      clientTool: false,
    });
    expect(pendingCalls(items)).toEqual([]);
  });

  it('takes a plain assistant answer as the reply', () => {
    const items = buildTimeline([
      { id: 'u', role: 'user', content: 'hi' },
      { id: 'a', role: 'assistant', content: 'hello' },
    ]);
    expect(items[1]).toMatchObject({ kind: 'reply', texts: ['hello'], steps: [] });
  });

  it('lists unanswered client and approval calls of the last reply as pending, until answered', () => {
    const waiting = [
      ...turn,
      { id: 'u2', role: 'user', content: 'fetch it' },
      {
        id: 'a2',
        role: 'assistant',
        content: null,
        toolCalls: [call('c3', 'search__fetch', { url: 'https://example.com' })],
      },
    ];
    expect(pendingCalls(buildTimeline(waiting)).map((pending) => pending.id)).toEqual(['c3']);
    const answered = [
      ...waiting,
      { id: 't3', role: 'tool', content: 'page text', toolCallId: 'c3', name: 'search__fetch' },
    ];
    expect(pendingCalls(buildTimeline(answered))).toEqual([]);
    const overtaken = [...waiting, { id: 'u3', role: 'user', content: 'never mind' }];
    expect(pendingCalls(buildTimeline(overtaken))).toEqual([]);
  });

  it('keeps a tool result whose call it never saw (paged out) as a step of its own', () => {
    const items = buildTimeline([
      { id: 't', role: 'tool', content: 'result', toolCallId: 'gone', name: 'archival_memory_search' },
    ]);
    expect(items[0]).toMatchObject({
      kind: 'reply',
      steps: [{ kind: 'tool', result: 'result', call: { name: 'archival_memory_search' } }],
    });
  });

  it('skips malformed tool calls instead of guessing', () => {
    const items = buildTimeline([
      { id: 'a', role: 'assistant', content: 'thinking', toolCalls: [{ nope: true }, 'x'] },
    ]);
    expect(items[0]).toMatchObject({ kind: 'reply', texts: ['thinking'], steps: [] });
  });
});
