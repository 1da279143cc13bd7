import type { ApiKeyRecord, ContextSummary, Passage, PendingToolCall, User } from '../domain/types.ts';
import type { ResponseRecord } from '../responses/response-record.ts';

/**
 * Row shapes and their mapping that the SQL stores (SQLite and PostgreSQL) share: the same
 * snake_case columns, read back into the same domain objects. Driver-specific rows stay with
 * their store.
 */

export interface UserRow {
  id: string;
  name: string;
  created_at: string;
}

export interface PendingToolCallRow {
  agent_id: string;
  tool_call_id: string;
  name: string;
  arguments: string;
  style: string;
  created_at: string;
}

export interface PassageRow {
  id: string;
  agent_id: string;
  content: string;
  embedding_model: string | null;
  created_at: string;
}

export interface SummaryRow {
  summary: string | null;
  summary_message_count: number;
  summary_updated_at: string | null;
}

/** An `api_keys` row as both stores select it (never the hash). */
export interface ApiKeyRow {
  id: string;
  user_id: string;
  prefix: string;
  created_at: string;
  scope: string;
  expires_at: string | null;
  last_used_at: string | null;
}

/** The columns of an {@link ApiKeyRow}, in both stores' SQL. */
export const API_KEY_COLUMNS = 'id, user_id, prefix, created_at, scope, expires_at, last_used_at';

export function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    prefix: row.prefix,
    createdAt: row.created_at,
    scope: row.scope === 'read' ? 'read' : 'full',
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}

export function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export function toPendingToolCall(row: PendingToolCallRow): PendingToolCall {
  return {
    agentId: row.agent_id,
    toolCallId: row.tool_call_id,
    name: row.name,
    arguments: row.arguments,
    // Both stores constrain the style column to these values (a CHECK constraint).
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

/** A `responses` row as both stores read it back: the response object and its input items as JSON text. */
export interface ResponseRecordRow {
  id: string;
  agent_id: string;
  conversation_id: string;
  last_message_id: string | null;
  previous_response_id: string | null;
  /** Unix seconds: an integer in SQLite, a BIGINT PostgreSQL hands back as text. */
  created_at: number | string;
  response: string;
  input_items: string;
}

export function toResponseRecord(row: ResponseRecordRow): ResponseRecord {
  return {
    id: row.id,
    agentId: row.agent_id,
    conversationId: row.conversation_id,
    lastMessageId: row.last_message_id,
    previousResponseId: row.previous_response_id,
    createdAt: Number(row.created_at),
    response: JSON.parse(row.response),
    inputItems: JSON.parse(row.input_items),
  };
}
