import type { MemoryBlock } from '@memgate/core';

export interface AgentRow {
  id: string;
  user_id: string;
  name: string;
  model: string;
  system: string;
  context_window: number;
  created_at: string;
  /** JSONB array of strings. */
  tags: string[];
  /** JSONB object of strings, or NULL. */
  metadata: Record<string, string> | null;
  /** JSONB object: the agent's settings (see `AgentSettings`); keys it lacks have their defaults. */
  settings: unknown;
  /** JSONB array of `{serverId, tool}`: the agent's MCP attachments (migration 14). */
  mcp_tools: unknown;
  /** The agent's blocks in order, aggregated by the query (no second round trip), in MemoryBlock's names. */
  memory: MemoryBlock[];
}

/** A block with the agents it is attached to (BLOCK_SQL's reads). */
export interface BlockRow {
  id: string;
  user_id: string;
  label: string;
  value: string;
  limit: number;
  description: string | null;
  read_only: boolean;
  version: number;
  metadata: Record<string, string> | null;
  created_at: string;
  updated_at: string;
  agent_ids: string[];
}

/** One of an agent's blocks as a write returns it (SQL.setMemoryBlock). */
export interface MemoryBlockRow {
  id: string;
  label: string;
  value: string;
  limit: number;
  description: string | null;
  read_only: boolean;
  version: number;
  agent_count: number;
}

/** A `block_history` row; all NULL in the one row of a block with no entry in the page. */
export interface BlockHistoryRow {
  version: number | null;
  value: string;
  actor: string;
  agent_id: string | null;
  message_id: string | null;
  at: string;
}

export interface MessageRow {
  /** BIGINT: pg returns it as a string so that no precision is lost. */
  seq: string;
  id: string;
  agent_id: string;
  conversation_id: string;
  role: string;
  content: string | null;
  tool_calls: unknown;
  tool_call_id: string | null;
  name: string | null;
  created_at: string;
  token_count: number | null;
  /** JSONB object of strings, or NULL. */
  metadata: Record<string, string> | null;
  /** True when a rewind hid it (migration 7). */
  hidden: boolean;
  /** The message's attachments when the query reads them with it (ATTACHMENTS_OF_M); NULL for none. */
  attachments?: AttachmentJson[] | null;
}

/** One attachment as ATTACHMENTS_OF_M reads it. */
export interface AttachmentJson {
  text_offset: number;
  detail: string | null;
  url: string | null;
  media_type: string | null;
  /** base64 of the bytes, or null for a URL. */
  data: string | null;
}

export interface ConversationRow {
  id: string;
  agent_id: string;
  name: string | null;
  /** JSONB object of strings, or NULL. */
  metadata: Record<string, string> | null;
  created_at: string;
  updated_at: string;
}
