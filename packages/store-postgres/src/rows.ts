import type { MemoryBlock } from '@memgate/core';

export interface AgentRow {
  id: string;
  user_id: string;
  name: string;
  model: string;
  system: string;
  context_window: number;
  created_at: string;
  /** The agent's blocks in order, aggregated by the query (no second round trip). */
  memory: MemoryBlock[];
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
