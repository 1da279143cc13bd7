import {
  type Agent,
  type AgentEvent,
  agentResource,
  type Conversation,
  conversationResource,
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
    memory: resource.memory.blocks,
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
  };
}
