import { type ContentPart, messageContentParts } from '../attachments/content-parts.ts';
import type { Agent, StoredMessage, User } from '../domain/types.ts';

/** The REST/WebSocket shape of an agent (contract §3). */
export interface AgentResource {
  id: string;
  object: 'agent';
  name: string;
  model: string;
  system: string;
  context_window: number;
  created_at: string;
  memory: { blocks: { label: string; value: string; limit: number }[] };
}

export function agentResource(agent: Agent): AgentResource {
  return {
    id: agent.id,
    object: 'agent',
    name: agent.name,
    model: agent.model,
    system: agent.system,
    context_window: agent.contextWindow,
    created_at: agent.createdAt,
    memory: { blocks: agent.memory.map(({ label, value, limit }) => ({ label, value, limit })) },
  };
}

/** The REST/WebSocket shape of a stored message (contract §3). */
export interface MessageResource {
  id: string;
  role: StoredMessage['role'];
  /** The text; for a user message with images, the parts it was sent with (images as URLs or data URIs). */
  content: string | ContentPart[] | null;
  tool_calls?: StoredMessage['toolCalls'];
  tool_call_id?: string;
  name?: string;
  metadata?: Record<string, string>;
  created_at: string;
}

export function messageResource(message: StoredMessage): MessageResource {
  const resource: MessageResource = {
    id: message.id,
    role: message.role,
    content: messageContentParts(message) ?? message.content,
    created_at: message.createdAt,
  };
  if (message.toolCalls?.length) resource.tool_calls = message.toolCalls;
  if (message.toolCallId) resource.tool_call_id = message.toolCallId;
  if (message.name) resource.name = message.name;
  if (message.metadata) resource.metadata = message.metadata;
  return resource;
}

export interface UserResource {
  id: string;
  name: string;
  created_at: string;
}

export function userResource(user: User): UserResource {
  return { id: user.id, name: user.name, created_at: user.createdAt };
}
