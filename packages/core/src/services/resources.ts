import type { z } from 'zod';
import { messageContentParts } from '../attachments/content-parts.ts';
import {
  type Agent,
  type ApiKeyRecord,
  type Block,
  type BlockHistoryEntry,
  type Conversation,
  isDefaultConversation,
  type MemoryBlock,
  type StoredMessage,
  type User,
} from '../domain/types.ts';
import type {
  agentResourceSchema,
  apiKeyResourceSchema,
  blockHistoryEntrySchema,
  blockResourceSchema,
  conversationResourceSchema,
  memoryBlockSchema,
  messageResourceSchema,
  userResourceSchema,
} from '../schemas/resource-schemas.ts';

/** The REST/WebSocket shape of an agent (contract §3). */
export type AgentResource = z.output<typeof agentResourceSchema>;

export function agentResource(agent: Agent): AgentResource {
  return {
    id: agent.id,
    object: 'agent',
    name: agent.name,
    model: agent.model,
    system: agent.system,
    context_window: agent.contextWindow,
    created_at: agent.createdAt,
    memory: { blocks: agent.memory.map(memoryBlockResource) },
    tags: agent.tags,
    metadata: agent.metadata,
    summary_model: agent.settings.summaryModel,
    embedding_model: agent.settings.embeddingModel,
    fallback_models: agent.settings.fallbackModels,
    max_steps_per_turn: agent.settings.maxStepsPerTurn,
    max_tokens_per_turn: agent.settings.maxTokensPerTurn,
  };
}

/** The REST/GraphQL shape of one of an agent's blocks. */
export type MemoryBlockResource = z.output<typeof memoryBlockSchema>;

export function memoryBlockResource(block: MemoryBlock): MemoryBlockResource {
  return {
    ...(block.id !== undefined && { id: block.id }),
    label: block.label,
    value: block.value,
    limit: block.limit,
    description: block.description ?? null,
    read_only: block.readOnly ?? false,
    ...(block.version !== undefined && { version: block.version }),
  };
}

/** The REST shape of a block (`/v1/blocks`). */
export type BlockResource = z.output<typeof blockResourceSchema>;

export function blockResource(block: Block): BlockResource {
  return {
    id: block.id,
    object: 'block',
    label: block.label,
    value: block.value,
    limit: block.limit,
    description: block.description,
    read_only: block.readOnly,
    version: block.version,
    metadata: block.metadata,
    agent_ids: block.agentIds,
    created_at: block.createdAt,
    updated_at: block.updatedAt,
  };
}

export type BlockHistoryResource = z.output<typeof blockHistoryEntrySchema>;

export function blockHistoryResource(entry: BlockHistoryEntry): BlockHistoryResource {
  return {
    version: entry.version,
    value: entry.value,
    actor: entry.actor,
    agent_id: entry.agentId,
    message_id: entry.messageId,
    at: entry.at,
  };
}

/** The REST/GraphQL shape of a conversation. */
export type ConversationResource = z.output<typeof conversationResourceSchema>;

export function conversationResource(conversation: Conversation): ConversationResource {
  return {
    id: conversation.id,
    object: 'conversation',
    agent_id: conversation.agentId,
    name: conversation.name,
    metadata: conversation.metadata,
    is_default: isDefaultConversation(conversation),
    created_at: conversation.createdAt,
    updated_at: conversation.updatedAt,
  };
}

/** The REST/WebSocket shape of a stored message (contract §3). */
export type MessageResource = z.output<typeof messageResourceSchema>;

export function messageResource(message: StoredMessage): MessageResource {
  const resource: MessageResource = {
    id: message.id,
    role: message.role,
    content: messageContentParts(message) ?? message.content,
    conversation_id: message.conversationId,
    created_at: message.createdAt,
  };
  if (message.toolCalls?.length) resource.tool_calls = message.toolCalls;
  if (message.toolCallId) resource.tool_call_id = message.toolCallId;
  if (message.name) resource.name = message.name;
  if (message.metadata) resource.metadata = message.metadata;
  if (message.hidden) resource.hidden = true;
  return resource;
}

export type UserResource = z.output<typeof userResourceSchema>;

export function userResource(user: User): UserResource {
  return { id: user.id, name: user.name, created_at: user.createdAt };
}

export type ApiKeyResource = z.output<typeof apiKeyResourceSchema>;

/** A key as listed: everything but its secret (the store never hands out the hash either). */
export function apiKeyResource(key: ApiKeyRecord): ApiKeyResource {
  return {
    id: key.id,
    user_id: key.userId,
    prefix: key.prefix,
    created_at: key.createdAt,
    last_used_at: key.lastUsedAt,
    expires_at: key.expiresAt,
    scope: key.scope,
  };
}
