import type {
  Agent,
  ContextSummary,
  Passage,
  PendingToolCall,
  StoredMessage,
  StoredRole,
  ToolCall,
  User,
} from '@memgate/core';
import type { AgentRow, MessageRow, PassageRow, PendingToolCallRow, SummaryRow, UserRow } from './rows.ts';

export function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    model: row.model,
    system: row.system,
    contextWindow: row.context_window,
    createdAt: row.created_at,
    memory: row.memory.map(({ label, value, limit }) => ({ label, value, limit })),
  };
}

export function toStoredMessage(row: MessageRow): StoredMessage {
  const message: StoredMessage = {
    id: row.id,
    agentId: row.agent_id,
    // Identity values stay far below 2^53 for any real history.
    seq: Number(row.seq),
    // The CHECK constraint on messages.role keeps this cast honest.
    role: row.role as StoredRole,
    content: row.content,
    // JSONB written from ToolCall[] by this store only.
    toolCalls: row.tool_calls === null ? null : (row.tool_calls as ToolCall[]),
    toolCallId: row.tool_call_id,
    name: row.name,
    createdAt: row.created_at,
  };
  // Absent rather than undefined, exactly as the SQLite store reads it.
  if (row.token_count !== null) message.tokenCount = row.token_count;
  return message;
}

export function toPendingToolCall(row: PendingToolCallRow): PendingToolCall {
  return {
    agentId: row.agent_id,
    toolCallId: row.tool_call_id,
    name: row.name,
    arguments: row.arguments,
    // The CHECK constraint on pending_tool_calls.style keeps this cast honest.
    style: row.style as PendingToolCall['style'],
    createdAt: row.created_at,
  };
}

export function toPassage(row: PassageRow): Passage {
  return {
    id: row.id,
    agentId: row.agent_id,
    content: row.content,
    embeddingModel: row.embedding_model,
    createdAt: row.created_at,
  };
}

export function toContextSummary(row: SummaryRow | undefined): ContextSummary | null {
  if (!row || row.summary === null) return null;
  return { text: row.summary, messageCount: row.summary_message_count, updatedAt: row.summary_updated_at ?? '' };
}
