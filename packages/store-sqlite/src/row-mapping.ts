import type {
  Agent,
  MemoryBlock,
  NewMessage,
  PendingToolCall,
  StoredMessage,
  StoredRole,
  ToolCall,
  User,
} from '@memgate/core';
import type { AgentRow, MemoryBlockRow, MessageParams, MessageRow, PendingToolCallRow, UserRow } from './rows.ts';

export function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export function toMemoryBlock(row: MemoryBlockRow): MemoryBlock {
  return { label: row.label, value: row.value, limit: row.limit };
}

export function toAgent(row: AgentRow, memory: MemoryBlock[]): Agent {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    model: row.model,
    system: row.system,
    contextWindow: row.context_window,
    createdAt: row.created_at,
    memory,
  };
}

export function toStoredMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    agentId: row.agent_id,
    seq: row.seq,
    // The CHECK constraint on messages.role keeps this cast honest.
    role: row.role as StoredRole,
    content: row.content,
    toolCalls: row.tool_calls === null ? null : (JSON.parse(row.tool_calls) as ToolCall[]),
    toolCallId: row.tool_call_id,
    name: row.name,
    createdAt: row.created_at,
  };
}

export function toMessageParams(message: NewMessage): MessageParams {
  return {
    id: message.id,
    agent_id: message.agentId,
    role: message.role,
    content: message.content,
    tool_calls: message.toolCalls === null ? null : JSON.stringify(message.toolCalls),
    tool_call_id: message.toolCallId,
    name: message.name,
    created_at: message.createdAt,
  };
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

export function toPendingToolCallRow(call: PendingToolCall): PendingToolCallRow {
  return {
    agent_id: call.agentId,
    tool_call_id: call.toolCallId,
    name: call.name,
    arguments: call.arguments,
    style: call.style,
    created_at: call.createdAt,
  };
}

/** Groups block rows by agent, keeping their order (the query sorts by position). */
export function groupBlocks(rows: MemoryBlockRow[]): Map<string, MemoryBlock[]> {
  const byAgent = new Map<string, MemoryBlock[]>();
  for (const row of rows) {
    const blocks = byAgent.get(row.agent_id) ?? [];
    blocks.push(toMemoryBlock(row));
    byAgent.set(row.agent_id, blocks);
  }
  return byAgent;
}

/** The stored form of a message just inserted, built from its input and the seq SQLite gave it. */
export function withSeq(message: NewMessage, seq: number): StoredMessage {
  return {
    id: message.id,
    agentId: message.agentId,
    seq,
    role: message.role,
    content: message.content,
    toolCalls: message.toolCalls,
    toolCallId: message.toolCallId,
    name: message.name,
    createdAt: message.createdAt,
  };
}
