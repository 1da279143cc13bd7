import type { MemoryBlock } from '@memgate/core';

/** Rows as pg returns them: snake_case columns, BIGINT as string, JSON parsed. */
export interface UserRow {
  id: string;
  name: string;
  created_at: string;
}

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
  role: string;
  content: string | null;
  tool_calls: unknown;
  tool_call_id: string | null;
  name: string | null;
  created_at: string;
  token_count: number | null;
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
