import { randomUUID } from 'node:crypto';
import { countMessageTokens } from '../context/token-counter.ts';
import type { NewMessage, ToolCall, Usage } from '../domain/types.ts';
import { toLlmMessage } from './context-messages.ts';

/** Upstreams may omit or repeat tool call ids; every stored call needs its own. */
export function normaliseToolCallIds(calls: ToolCall[]): ToolCall[] {
  const seen = new Set<string>();
  return calls.map((call) => {
    if (call.id && !seen.has(call.id)) {
      seen.add(call.id);
      return call;
    }
    const fixed = { ...call, id: `call_${randomUUID().replaceAll('-', '')}` };
    seen.add(fixed.id);
    return fixed;
  });
}

export function assistantMessage(agentId: string, content: string | null, toolCalls: ToolCall[] | null): NewMessage {
  return {
    id: `message-${randomUUID()}`,
    agentId,
    role: 'assistant',
    content,
    toolCalls,
    toolCallId: null,
    name: null,
    createdAt: new Date().toISOString(),
  };
}

/** The message with its prompt size counted once, as it is stored. */
export function withTokenCount(message: NewMessage): NewMessage {
  if (message.tokenCount !== undefined) return message;
  return { ...message, tokenCount: countMessageTokens(toLlmMessage({ ...message, seq: 0 })) };
}

export function addUsage(total: Usage, usage: Usage): void {
  total.prompt_tokens += usage.prompt_tokens;
  total.completion_tokens += usage.completion_tokens;
  total.total_tokens += usage.total_tokens;
  // Reported only when some upstream call of the turn reported it, so an absent count is not a 0.
  if (usage.prompt_tokens_details) {
    const cached = (total.prompt_tokens_details?.cached_tokens ?? 0) + usage.prompt_tokens_details.cached_tokens;
    total.prompt_tokens_details = { cached_tokens: cached };
  }
}

/** A system alert to the agent (MemGPT's word), e.g. what to repair in its reply. */
export function systemAlert(agentId: string, content: string): NewMessage {
  return { ...assistantMessage(agentId, content, null), role: 'system' };
}
