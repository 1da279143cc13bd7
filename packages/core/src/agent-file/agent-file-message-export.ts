import type { StoredMessage, StoredRole, ToolCall } from '../domain/types.ts';
import { exportContent, type LettaContentPart } from './agent-file-images.ts';

/** A message as an Agent File holds it (Letta's `MessageSchema`). */
export interface AgentFileMessageOut {
  type: 'message';
  id: string;
  agent_id: string;
  role: StoredRole;
  content: LettaContentPart[];
  name: string | null;
  model: string | null;
  tool_calls: ToolCall[] | null;
  tool_call_id: string | null;
  tool_returns: { tool_call_id: string; status: 'success'; func_response: string }[];
  created_at: string;
}

/** A memgate message in Letta's shape, under the id the file gives it. */
export function exportMessage(
  message: Pick<StoredMessage, 'role' | 'content' | 'toolCalls' | 'toolCallId' | 'name' | 'createdAt' | 'attachments'>,
  ids: { id: string; agentId: string; model: string },
): AgentFileMessageOut {
  const text = message.content;
  return {
    type: 'message',
    id: ids.id,
    agent_id: ids.agentId,
    role: message.role,
    content: exportContent(message),
    name: message.name,
    model: message.role === 'assistant' ? ids.model : null,
    tool_calls:
      message.toolCalls?.map((call) => ({ id: call.id, type: 'function', function: { ...call.function } })) ?? null,
    tool_call_id: message.toolCallId,
    tool_returns:
      message.role === 'tool' && message.toolCallId
        ? [{ tool_call_id: message.toolCallId, status: 'success', func_response: text ?? '' }]
        : [],
    created_at: message.createdAt,
  };
}
