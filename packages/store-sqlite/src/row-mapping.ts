import type {
  Agent,
  Block,
  BlockActor,
  BlockHistoryEntry,
  Conversation,
  MemoryBlock,
  NewMessage,
  NewPassage,
  PendingToolCall,
  PendingToolCallRow,
  StoredMessage,
  StoredRole,
  ToolCall,
} from '@memgate/core';
import { agentMcpToolsOf, agentSettingsOf, storableText } from '@memgate/core/store-kit';
import type {
  AgentRow,
  BlockHistoryRow,
  BlockRow,
  ConversationRow,
  MemoryBlockRow,
  MessageParams,
  MessageRow,
  PassageParams,
} from './rows.ts';

export function toMemoryBlock(row: MemoryBlockRow): MemoryBlock {
  return {
    id: row.id,
    label: row.label,
    value: row.value,
    limit: row.limit,
    description: row.description,
    readOnly: row.read_only === 1,
    version: row.version,
    agentCount: row.agent_count,
  };
}

export function toBlock(row: BlockRow): Block {
  return {
    id: row.id,
    userId: row.user_id,
    label: row.label,
    value: row.value,
    limit: row.limit,
    description: row.description,
    readOnly: row.read_only === 1,
    version: row.version,
    metadata: parseMetadata(row.metadata),
    agentIds: JSON.parse(row.agent_ids) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toBlockHistoryEntry(row: BlockHistoryRow): BlockHistoryEntry {
  return {
    version: row.version,
    value: row.value,
    // The CHECK constraint on block_history.actor keeps this cast honest.
    actor: row.actor as BlockActor,
    agentId: row.agent_id,
    messageId: row.message_id,
    at: row.at,
  };
}

/** Metadata as its JSON text column holds it (keys and values made storable), or NULL. */
export function storableMetadata(metadata: Record<string, string> | null): string | null {
  if (metadata === null) return null;
  return JSON.stringify(
    Object.fromEntries(Object.entries(metadata).map(([key, value]) => [storableText(key), storableText(value)])),
  );
}

function parseMetadata(metadata: string | null): Record<string, string> | null {
  return metadata === null ? null : (JSON.parse(metadata) as Record<string, string>);
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
    tags: JSON.parse(row.tags) as string[],
    metadata: parseMetadata(row.metadata),
    settings: agentSettingsOf(JSON.parse(row.settings)),
    mcpTools: agentMcpToolsOf(row.mcp_tools),
  };
}

export function toStoredMessage(row: MessageRow): StoredMessage {
  const message: StoredMessage = {
    id: row.id,
    agentId: row.agent_id,
    conversationId: row.conversation_id,
    seq: row.seq,
    // The CHECK constraint on messages.role keeps this cast honest.
    role: row.role as StoredRole,
    content: row.content,
    toolCalls: row.tool_calls === null ? null : (JSON.parse(row.tool_calls) as ToolCall[]),
    toolCallId: row.tool_call_id,
    name: row.name,
    createdAt: row.created_at,
  };
  if (row.token_count !== null) message.tokenCount = row.token_count;
  if (row.metadata !== null) message.metadata = JSON.parse(row.metadata) as Record<string, string>;
  if (row.hidden) message.hidden = true;
  return message;
}

export function toMessageParams(message: NewMessage, conversationId: string): MessageParams {
  return {
    id: message.id,
    agent_id: message.agentId,
    conversation_id: conversationId,
    role: message.role,
    content: message.content,
    tool_calls: message.toolCalls === null ? null : JSON.stringify(message.toolCalls),
    tool_call_id: message.toolCallId,
    name: message.name,
    created_at: message.createdAt,
    token_count: message.tokenCount ?? null,
    metadata: message.metadata ? JSON.stringify(message.metadata) : null,
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
export function withSeq(message: NewMessage, seq: number, conversationId: string): StoredMessage {
  const stored: StoredMessage = {
    id: message.id,
    agentId: message.agentId,
    conversationId,
    seq,
    role: message.role,
    content: message.content,
    toolCalls: message.toolCalls,
    toolCallId: message.toolCallId,
    name: message.name,
    createdAt: message.createdAt,
  };
  if (message.tokenCount !== undefined) stored.tokenCount = message.tokenCount;
  // As a read gives it back: events and the cached window show a message as the history does.
  if (message.metadata) stored.metadata = message.metadata;
  if (message.attachments?.length) stored.attachments = message.attachments;
  return stored;
}

/** A vector as its BLOB: float32, in the platform's byte order (little-endian everywhere Node runs). */
export function vectorToBlob(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function toPassageParams(passage: NewPassage): PassageParams {
  // A vector without its model could never be compared safely: store both or neither.
  const embedded = passage.embedding !== null && passage.embeddingModel !== null;
  return {
    id: passage.id,
    agent_id: passage.agentId,
    content: passage.content,
    embedding_model: embedded ? passage.embeddingModel : null,
    embedding: embedded && passage.embedding ? vectorToBlob(passage.embedding) : null,
    created_at: passage.createdAt,
  };
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    agentId: row.agent_id,
    name: row.name,
    metadata: parseMetadata(row.metadata),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
