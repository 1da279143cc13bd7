import {
  type Agent,
  type AgentEvent,
  agentResource,
  type Block,
  type BlockHistoryEntry,
  blockHistoryResource,
  blockResource,
  type Conversation,
  conversationResource,
  type MemoryBlock,
  type MemoryBlockResource,
  memoryBlockResource,
  messageResource,
  type StoredMessage,
} from '@memgate/core';

/**
 * The GraphQL `Agent`: built from the REST resource so both protocols show the same values. The
 * REST `memory.blocks` is `memory` here (contract §7).
 */
export function agentFields(agent: Agent) {
  const resource = agentResource(agent);
  return {
    id: resource.id,
    object: resource.object,
    name: resource.name,
    model: resource.model,
    system: resource.system,
    contextWindow: resource.context_window,
    createdAt: resource.created_at,
    memory: resource.memory.blocks.map(memoryBlockFields),
    tags: resource.tags,
    metadata: resource.metadata,
    summaryModel: resource.summary_model,
    embeddingModel: resource.embedding_model,
    fallbackModels: resource.fallback_models,
    maxStepsPerTurn: resource.max_steps_per_turn,
    maxTokensPerTurn: resource.max_tokens_per_turn,
  };
}

/** The GraphQL `MemoryBlock`, from the REST shape of the same block. */
function memoryBlockFields(block: MemoryBlockResource) {
  return {
    id: block.id ?? null,
    label: block.label,
    value: block.value,
    limit: block.limit,
    description: block.description ?? null,
    readOnly: block.read_only ?? false,
    version: block.version ?? null,
  };
}

/** The GraphQL `MemoryBlock` of a core block. */
export function agentBlockFields(block: MemoryBlock) {
  return memoryBlockFields(memoryBlockResource(block));
}

/** The GraphQL `Block` (its `history` is resolved on demand). */
export function blockFields(block: Block) {
  const resource = blockResource(block);
  return {
    id: resource.id,
    object: resource.object,
    label: resource.label,
    value: resource.value,
    limit: resource.limit,
    description: resource.description,
    readOnly: resource.read_only,
    version: resource.version,
    metadata: resource.metadata,
    agentIds: resource.agent_ids,
    createdAt: resource.created_at,
    updatedAt: resource.updated_at,
  };
}

/** The GraphQL `BlockHistoryEntry`. */
export function blockHistoryFields(entry: BlockHistoryEntry) {
  const resource = blockHistoryResource(entry);
  return {
    version: resource.version,
    value: resource.value,
    actor: resource.actor,
    agentId: resource.agent_id,
    messageId: resource.message_id,
    at: resource.at,
  };
}

/** The GraphQL `AgentMessage`, from the REST resource of the same message. */
export function messageFields(message: StoredMessage) {
  const resource = messageResource(message);
  return {
    id: resource.id,
    role: resource.role,
    // `content` stays a String (the message's text); the parts, images included, are in `contentParts`.
    content: message.content,
    contentParts: Array.isArray(resource.content) ? resource.content : null,
    toolCalls: resource.tool_calls ?? null,
    toolCallId: resource.tool_call_id ?? null,
    name: resource.name ?? null,
    metadata: resource.metadata ?? null,
    conversationId: resource.conversation_id,
    createdAt: resource.created_at,
    hidden: resource.hidden === true,
  };
}

/** The GraphQL `Conversation`, from the REST resource. */
export function conversationFields(conversation: Conversation) {
  const resource = conversationResource(conversation);
  return {
    id: resource.id,
    object: resource.object,
    agentId: resource.agent_id,
    name: resource.name,
    metadata: resource.metadata,
    isDefault: resource.is_default,
    createdAt: resource.created_at,
    updatedAt: resource.updated_at,
  };
}

/** The GraphQL `AgentEvent`s: a bus event, or the first event that says the subscription is live. */
export function agentEventFields(event: AgentEvent | { type: 'subscribed'; agentId: string }) {
  return {
    type: event.type,
    agentId: event.agentId,
    conversationId: 'conversationId' in event ? event.conversationId : null,
    message: 'message' in event ? messageFields(event.message) : null,
    block: 'block' in event ? agentBlockFields(event.block) : null,
    actor: 'actor' in event ? event.actor : null,
    byAgentId: 'byAgentId' in event ? event.byAgentId : null,
  };
}
