import { describe, expect, it } from 'vitest';
import type { PendingToolCall } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { extractNewInput } from './new-input.ts';

const pending: PendingToolCall = {
  agentId: 'agent-1',
  toolCallId: 'call_1',
  name: 'search__fetch',
  arguments: '{"url":"https://example.com"}',
  style: 'tool',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const assistant = {
  role: 'assistant' as const,
  content: null,
  tool_calls: [{ id: 'call_1', type: 'function' as const, function: { name: 'search__fetch', arguments: '{}' } }],
};
const answer = (content: string) =>
  extractNewInput('agent-1', [assistant, { role: 'tool', tool_call_id: 'call_1', content }] as never, [pending], [], {
    isApprovalCall: (call) => call.name.startsWith('search__'),
  });

describe('approval answers in the new input', () => {
  it('{"approve": true} marks the call to run, its message to receive the result', () => {
    const input = answer('{"approve": true}');
    expect(input.approvedCalls).toHaveLength(1);
    expect(input.approvedCalls[0]?.call).toEqual(pending);
    expect(input.approvedCalls[0]?.message).toBe(input.newMessages[0]);
    expect(input.resolvedToolCallIds).toEqual(['call_1']);
  });

  it('{"approve": false, "reason"} stores a declined result with the reason, and runs nothing', () => {
    const input = answer('{"approve": false, "reason": "not that site"}');
    expect(input.approvedCalls).toEqual([]);
    const result = JSON.parse(input.newMessages[0]?.content ?? '') as { status: string; message: string };
    expect(result.status).toBe('Failed');
    expect(result.message).toBe('The user declined to run search__fetch; it was not run. Reason: not that site');
    expect(JSON.parse(answer('{"approve": false}').newMessages[0]?.content ?? '').message).not.toMatch(/Reason/);
  });

  it.each(['yes', '{"approve": "true"}', '[true]', '{"approve": false, "reason": 3}', '{}', 'null'])(
    'refuses %s with a 422 naming the message and the expected shape',
    (content) => {
      let error: unknown;
      try {
        answer(content);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(MemgateError);
      expect((error as MemgateError).status).toBe(422);
      expect((error as MemgateError).detailCode).toBe('invalid_approval');
      expect((error as MemgateError).param).toBe('messages.1.content');
      expect((error as MemgateError).message).toMatch(/\{"approve": true\}/);
    },
  );

  it('leaves the results of other calls as the client sent them', () => {
    const input = extractNewInput(
      'agent-1',
      [assistant, { role: 'tool', tool_call_id: 'call_1', content: 'plain' }] as never,
      [{ ...pending, name: 'lookup' }],
      [],
      { isApprovalCall: (call) => call.name.startsWith('search__') },
    );
    expect(input.newMessages[0]?.content).toBe('plain');
    expect(input.approvedCalls).toEqual([]);
  });
});
