/** Who is calling: resolved from the bearer token. */
export interface Principal {
  userId: string;
}

export interface User {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyRecord {
  id: string;
  userId: string;
  /** First characters of the key, to tell keys apart in listings; never enough to use it. */
  prefix: string;
  createdAt: string;
}

export interface MemoryBlock {
  label: string;
  value: string;
  limit: number;
}

export interface Agent {
  id: string;
  userId: string;
  name: string;
  model: string;
  system: string;
  contextWindow: number;
  createdAt: string;
  memory: MemoryBlock[];
}

export type StoredRole = 'user' | 'assistant' | 'tool' | 'system';

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A message as kept in an agent's history (recall memory). */
export interface StoredMessage {
  id: string;
  agentId: string;
  /** Monotonic position in the agent's history. */
  seq: number;
  role: StoredRole;
  content: string | null;
  toolCalls: ToolCall[] | null;
  toolCallId: string | null;
  /** Tool name for `tool` messages, sender name for `user` messages. */
  name: string | null;
  createdAt: string;
}

export type NewMessage = Omit<StoredMessage, 'seq'>;

/** A tool call the agent made to a client tool, waiting for the client's `tool` message. */
export interface PendingToolCall {
  agentId: string;
  toolCallId: string;
  name: string;
  arguments: string;
  /** `tool` for tools/tool_choice, `function` for the legacy functions/function_call. */
  style: 'tool' | 'function';
  createdAt: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}
