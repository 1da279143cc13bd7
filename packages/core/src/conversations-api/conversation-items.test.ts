import { describe, expect, it } from 'vitest';
import type { StoredMessage, ToolCall } from '../domain/types.ts';
import { itemsOfMessage, messageIdOfItem } from './conversation-items.ts';
import { itemWrite } from './item-input.ts';

const call = (id: string, name: string, args: unknown): ToolCall => ({
  id,
  type: 'function',
  function: { name, arguments: JSON.stringify(args) },
});

function stored(fields: Partial<StoredMessage> & Pick<StoredMessage, 'role'>): StoredMessage {
  return {
    id: 'message-1',
    agentId: 'agent-1',
    conversationId: 'agent-1',
    seq: 1,
    content: null,
    toolCalls: null,
    toolCallId: null,
    name: null,
    createdAt: '2026-12-02T10:00:00.000Z',
    ...fields,
  };
}

describe('conversation items of stored messages', () => {
  it('shows what the client saw of an assistant step: sent text and client calls, not memory tools', () => {
    const message = stored({
      role: 'assistant',
      content: 'inner monologue',
      toolCalls: [
        call('c1', 'core_memory_append', { label: 'human', content: 'x' }),
        call('c2', 'send_message', { message: 'Hello.' }),
        call('c3', 'send_message', { message: { answer: 42 } }),
        call('c4', 'lookup_order', { id: 'A1' }),
      ],
    });
    expect(itemsOfMessage(message)).toEqual([
      {
        id: 'msg_message-1',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello.\n\n{"answer":42}', annotations: [], logprobs: [] }],
      },
      {
        id: 'fc_0_message-1',
        type: 'function_call',
        status: 'completed',
        call_id: 'c4',
        name: 'lookup_order',
        arguments: '{"id":"A1"}',
      },
    ]);
    expect(itemsOfMessage(stored({ role: 'assistant', content: 'plain answer' }))[0]).toMatchObject({
      content: [{ type: 'output_text', text: 'plain answer' }],
    });
    // A step that only used memory, its results and the loop's own alerts are not items.
    expect(
      itemsOfMessage(
        stored({ role: 'assistant', content: 'thinking', toolCalls: [call('c', 'core_memory_append', {})] }),
      ),
    ).toEqual([]);
    expect(
      itemsOfMessage(stored({ role: 'tool', toolCallId: 'c1', name: 'core_memory_append', content: 'ok' })),
    ).toEqual([]);
    expect(itemsOfMessage(stored({ role: 'system', content: 'repair your reply' }))).toEqual([]);
    expect(itemsOfMessage(stored({ role: 'system', content: 'be kind', name: 'developer' }))[0]).toMatchObject({
      role: 'developer',
      content: [{ type: 'input_text', text: 'be kind' }],
    });
    expect(
      itemsOfMessage(stored({ role: 'tool', toolCallId: 'c4', name: 'lookup_order', content: 'shipped' })),
    ).toEqual([
      { id: 'fco_message-1', type: 'function_call_output', status: 'completed', call_id: 'c4', output: 'shipped' },
    ]);
  });

  it('names the stored message in every item id', () => {
    expect(messageIdOfItem('msg_message-1')).toBe('message-1');
    expect(messageIdOfItem('fc_3_message-1')).toBe('message-1');
    expect(messageIdOfItem('fco_message-1')).toBe('message-1');
    expect(messageIdOfItem('bogus')).toBeNull();
  });

  it('keeps consecutive function calls on one assistant message, and opens only the unanswered ones', () => {
    const write = itemWrite(
      'agent-1',
      [
        { type: 'function_call', call_id: 'a', name: 'f', arguments: '{}' },
        { type: 'function_call', call_id: 'b', name: 'g', arguments: '{}' },
        { type: 'function_call_output', call_id: 'a', output: 'done' },
      ],
      [],
    );
    expect(write.messages.map((message) => [message.role, message.toolCalls?.length ?? 0])).toEqual([
      ['assistant', 2],
      ['tool', 0],
    ]);
    expect(write.addPendingToolCalls.map((pending) => pending.toolCallId)).toEqual(['b']);
  });
});
