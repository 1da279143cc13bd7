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
  /** JSON array of strings. */
  tags: string;
  /** JSON object of strings, or NULL. */
  metadata: string | null;
  /** JSON object: the agent's settings (see `AgentSettings`); keys it lacks have their defaults. */
  settings: string;
  /** JSON array of `{serverId, tool}`: the agent's MCP attachments (migration 14). */
  mcp_tools: string;
}

/** The columns a block has wherever it is read. */
interface BlockColumns {
  id: string;
  label: string;
  value: string;
  limit: number;
  description: string | null;
  /** 0 or 1. */
  read_only: number;
  version: number;
}

/** A block as one of an agent's (`MemoryBlock`): whose it is, and how many agents hold it. */
export interface MemoryBlockRow extends BlockColumns {
  agent_id: string;
  agent_count: number;
}

/** A block as its own entity (`Block`). */
export interface BlockRow extends BlockColumns {
  user_id: string;
  /** JSON object of strings, or NULL. */
  metadata: string | null;
  /** JSON array of the ids of the agents it is attached to, in attach order. */
  agent_ids: string;
  created_at: string;
  updated_at: string;
}

/** Named parameters of the block insert. */
export interface BlockParams extends Omit<BlockColumns, 'version'> {
  user_id: string;
  metadata: string | null;
  standalone: number;
  created_at: string;
}

export interface BlockHistoryRow {
  version: number;
  value: string;
  actor: string;
  agent_id: string | null;
  message_id: string | null;
  at: string;
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
