import type { PassageRow as SharedPassageRow } from '@memgate/core';
/** Rows as SQLite returns them: snake_case columns, JSON kept as text. */

export interface AgentRow {
  id: string;
  user_id: string;
  name: string;
  model: string;
  system: string;
  context_window: number;
  created_at: string;
}

export interface MemoryBlockRow {
  agent_id: string;
  label: string;
  value: string;
  limit: number;
  version: number;
}

export interface ConversationRow {
  id: string;
  agent_id: string;
  name: string | null;
  /** JSON object of strings, or NULL. */
  metadata: string | null;
  created_at: string;
  updated_at: string;
}

export interface MessageRow {
  seq: number;
  id: string;
  agent_id: string;
  conversation_id: string;
  role: string;
  content: string | null;
  tool_calls: string | null;
  tool_call_id: string | null;
  name: string | null;
  created_at: string;
  token_count: number | null;
  /** JSON object of strings, or NULL. */
  metadata: string | null;
  /** 1 when a rewind hid it (migration 7). */
  hidden: number;
}

/** Named parameters of the message insert. */
export type MessageParams = Omit<MessageRow, 'seq' | 'hidden'>;

/** A passage row with SQLite's rowid-backed position. */
export interface PassageRow extends SharedPassageRow {
  seq: number;
}

/** Named parameters of the passage insert. */
export type PassageParams = Omit<PassageRow, 'seq'> & { embedding: Uint8Array | null };
