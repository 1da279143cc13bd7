import type { ToolCall, Usage } from '../domain/types.ts';
import type { StopReason } from '../limits/limit-types.ts';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'function_call' | 'content_filter';

export interface ChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  refusal: string | null;
  tool_calls?: ToolCall[];
  function_call?: { name: string; arguments: string };
}

/** The `chat.completion` object, as OpenAI returns it. */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  system_fingerprint: string | null;
  choices: {
    index: number;
    message: ChatCompletionMessage;
    finish_reason: FinishReason;
    logprobs: null;
    /** memgate's own: why the turn stopped before the agent answered (with `finish_reason` `length`). */
    stop_reason?: StopReason;
  }[];
  usage: Usage;
}

export interface ChunkToolCall {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChunkDelta {
  role?: 'assistant';
  content?: string | null;
  refusal?: string | null;
  tool_calls?: ChunkToolCall[];
  function_call?: { name?: string; arguments?: string };
}

/** One `chat.completion.chunk` of a stream. */
export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  system_fingerprint: string | null;
  choices: {
    index: number;
    delta: ChunkDelta;
    finish_reason: FinishReason | null;
    logprobs: null;
    /** On the chunk with `finish_reason` only, as in the completion. */
    stop_reason?: StopReason;
  }[];
  usage?: Usage | null;
}
