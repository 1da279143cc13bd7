import type {
  Agent,
  Attachment,
  Block,
  BlockActor,
  BlockHistoryEntry,
  Conversation,
  ImageDetail,
  MemoryBlock,
  StoredMessage,
  StoredRole,
  ToolCall,
} from '@memgate/core';
import { agentMcpToolsOf, agentSettingsOf } from '@memgate/core/store-kit';
import type {
  AgentRow,
  AttachmentJson,
  BlockHistoryRow,
  BlockRow,
  ConversationRow,
  MemoryBlockRow,
  MessageRow,
} from './rows.ts';

export function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    model: row.model,
    system: row.system,
    contextWindow: row.context_window,
    createdAt: row.created_at,
    // Built by AGENT_WITH_MEMORY with MemoryBlock's own names; rebuilt so the field order is fixed.
    memory: row.memory.map(({ id, label, value, limit, description, readOnly, version, agentCount }) => ({
      id,
      label,
      value,
      limit,
      description,
      readOnly,
      version,
      agentCount,
    })),
    tags: row.tags,
    metadata: row.metadata,
    settings: agentSettingsOf(row.settings),
    mcpTools: agentMcpToolsOf(row.mcp_tools),
  };
}

export function toMemoryBlock(row: MemoryBlockRow): MemoryBlock {
  return {
    id: row.id,
    label: row.label,
    value: row.value,
    limit: row.limit,
    description: row.description,
    readOnly: row.read_only,
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
    readOnly: row.read_only,
    version: row.version,
    metadata: row.metadata,
    agentIds: row.agent_ids,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toBlockHistoryEntry(row: BlockHistoryRow): BlockHistoryEntry {
  return {
    version: row.version ?? 0,
    value: row.value,
    // The CHECK constraint on block_history.actor keeps this cast honest.
    actor: row.actor as BlockActor,
    agentId: row.agent_id,
    messageId: row.message_id,
    at: row.at,
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
