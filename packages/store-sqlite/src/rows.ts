/** Rows as SQLite returns them: snake_case columns, JSON kept as text. */
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
}

export interface MemoryBlockRow {
  agent_id: string;
  label: string;
  value: string;
  limit: number;
}

export interface MessageRow {
  seq: number;
  id: string;
  agent_id: string;
  role: string;
  content: string | null;
  tool_calls: string | null;
  tool_call_id: string | null;
  name: string | null;
  created_at: string;
  token_count: number | null;
}

/** Named parameters of the message insert. */
export type MessageParams = Omit<MessageRow, 'seq'>;

export interface PendingToolCallRow {
  agent_id: string;
  tool_call_id: string;
  name: string;
  arguments: string;
  style: string;
  created_at: string;
}

export interface PassageRow {
  seq: number;
  id: string;
  agent_id: string;
  content: string;
  embedding_model: string | null;
  created_at: string;
}

/** Named parameters of the passage insert. */
export type PassageParams = Omit<PassageRow, 'seq'> & { embedding: Buffer | null };

export interface SummaryRow {
  summary: string | null;
  summary_message_count: number;
  summary_updated_at: string | null;
}
