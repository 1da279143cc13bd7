import type { Agent, Attachment, Conversation, ImageDetail, StoredMessage, StoredRole, ToolCall } from '@memgate/core';
import type { AgentRow, AttachmentJson, ConversationRow, MessageRow } from './rows.ts';

export function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    model: row.model,
    system: row.system,
    contextWindow: row.context_window,
    createdAt: row.created_at,
    memory: row.memory.map(({ label, value, limit, version }) => ({ label, value, limit, version })),
  };
}

export function toStoredMessage(row: MessageRow): StoredMessage {
  const message: StoredMessage = {
    id: row.id,
    agentId: row.agent_id,
    conversationId: row.conversation_id,
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
  if (row.metadata !== null) message.metadata = row.metadata;
  if (row.hidden) message.hidden = true;
  if (row.attachments) message.attachments = row.attachments.map(fromAttachmentJson);
  return message;
}

function fromAttachmentJson(json: AttachmentJson): Attachment {
  return {
    textOffset: json.text_offset,
    // The CHECK constraint on attachments.detail keeps this cast honest.
    detail: json.detail as ImageDetail | null,
    url: json.url,
    mediaType: json.media_type,
    // A plain Uint8Array, exactly as the SQLite store reads it.
    data: json.data === null ? null : new Uint8Array(Buffer.from(json.data, 'base64')),
  };
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    agentId: row.agent_id,
    name: row.name,
    metadata: row.metadata,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
