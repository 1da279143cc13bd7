import { describe, expect, it } from 'vitest';
import type { MemoryBlock, NewMessage, ToolCall } from '../domain/types.ts';
import { OfflineProvider } from '../llm/offline-provider.ts';
import { ArchivalMemory } from '../memory/archival-memory.ts';
import { RecallMemory } from '../memory/recall-memory.ts';
import type { Store } from '../store/store.ts';
import { BASE_AGENT_TOOLS } from './base-tools.ts';
import { reapplyMemoryEdits } from './memory-reapply.ts';

const agentId = 'agent-1';
// Memory tools never touch the store; archival and recall are here only because the context has them.
const store = {} as Store;
const options = {
  tools: BASE_AGENT_TOOLS,
  archival: new ArchivalMemory({ store, provider: new OfflineProvider() }),
  recall: new RecallMemory(store),
  maxResultCharacters: 2000,
};

function call(id: string, name: string, args: Record<string, unknown>): ToolCall {
  return { id, type: 'function', function: { name, arguments: JSON.stringify(args) } };
}

function message(role: NewMessage['role'], content: string | null, extra: Partial<NewMessage> = {}): NewMessage {
  return {
    id: `m-${Math.random()}`,
    agentId,
    role,
    content,
    toolCalls: null,
    toolCallId: null,
    name: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

describe('reapplyMemoryEdits', () => {
  const latest: MemoryBlock[] = [
    { label: 'persona', value: 'I help.', limit: 100, version: 4 },
    { label: 'human', value: 'Name: Bo', limit: 30, version: 7 },
  ];

  it('runs the step’s memory calls again on the latest memory, keeping other results', async () => {
    const calls = [
      call('c1', 'core_memory_append', { label: 'human', content: 'Likes tea' }),
      call('c2', 'send_message', { message: 'ok' }),
    ];
    const step = {
      agentId,
      messages: [
        message('assistant', null, { toolCalls: calls }),
        message('tool', 'stale result', { toolCallId: 'c1', name: 'core_memory_append', tokenCount: 3 }),
        message('tool', 'Sent.', { toolCallId: 'c2', name: 'send_message' }),
      ],
      memory: [{ label: 'human', value: 'Name: Al\nLikes tea', version: 6 }],
    };
    const { step: again, memory } = await reapplyMemoryEdits(step, latest, options);
    expect(again.memory).toEqual([{ label: 'human', value: 'Name: Bo\nLikes tea', version: 7 }]);
    expect(memory.find((block) => block.label === 'human')?.value).toBe('Name: Bo\nLikes tea');
    expect(again.messages[1]?.content).toContain('updated');
    expect(again.messages[1]?.tokenCount).toBeUndefined();
    expect(again.messages[2]?.content).toBe('Sent.');
    // The input memory is not changed in place.
    expect(latest[1]?.value).toBe('Name: Bo');
  });

  it('turns an edit that no longer applies into a failure the agent reads, writing nothing', async () => {
    const step = {
      agentId,
      messages: [
        message('assistant', null, {
          toolCalls: [
            call('c1', 'core_memory_replace', { label: 'human', old_content: 'Name: Al', new_content: 'Name: Alan' }),
          ],
        }),
        message('tool', 'ok', { toolCallId: 'c1', name: 'core_memory_replace' }),
      ],
      memory: [{ label: 'human', value: 'Name: Alan', version: 6 }],
    };
    const { step: again } = await reapplyMemoryEdits(step, latest, options);
    expect(again.memory).toBeUndefined();
    expect(JSON.parse(again.messages[1]?.content ?? '{}')).toMatchObject({ status: 'Failed' });
  });
});
