import type { ChatCompletion, ChatCompletionChunk, ChunkToolCall, ToolCall, Usage } from '@memgate/core';

/** GraphQL `Usage`. */
export interface UsageFields {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  promptTokensDetails: { cachedTokens: number } | null;
}

/** GraphQL `ToolCall`: complete on a message, partial on a chunk delta. */
export interface ToolCallFields {
  index: number | null;
  id: string | null;
  type: string | null;
  function: { name: string | null; arguments: string | null } | null;
}

function usageFields(usage: Usage | null | undefined): UsageFields | null {
  if (!usage) return null;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    promptTokensDetails: usage.prompt_tokens_details
      ? { cachedTokens: usage.prompt_tokens_details.cached_tokens }
      : null,
  };
}

function toolCallFields(call: ToolCall | ChunkToolCall, index: number | null): ToolCallFields {
  return {
    index,
    id: call.id ?? null,
    type: call.type ?? null,
    function: call.function ? { name: call.function.name ?? null, arguments: call.function.arguments ?? null } : null,
  };
}

/** The GraphQL `ChatCompletion` for the core's `chat.completion`. */
export function completionFields(completion: ChatCompletion) {
  return {
    id: completion.id,
    object: completion.object,
    created: completion.created,
    model: completion.model,
    systemFingerprint: completion.system_fingerprint,
    choices: completion.choices.map((choice) => ({
      index: choice.index,
      finishReason: choice.finish_reason,
      stopReason: choice.stop_reason ?? null,
      message: {
        role: choice.message.role,
        content: choice.message.content,
        refusal: choice.message.refusal,
        toolCalls: choice.message.tool_calls?.map((call) => toolCallFields(call, null)) ?? null,
      },
    })),
    usage: usageFields(completion.usage),
  };
}

/** The GraphQL `ChatCompletionChunk` for one of the core's `chat.completion.chunk`s. */
export function chunkFields(chunk: ChatCompletionChunk) {
  return {
    id: chunk.id,
    object: chunk.object,
    created: chunk.created,
    model: chunk.model,
    systemFingerprint: chunk.system_fingerprint,
    choices: chunk.choices.map((choice) => ({
      index: choice.index,
      finishReason: choice.finish_reason,
      stopReason: choice.stop_reason ?? null,
      delta: {
        role: choice.delta.role ?? null,
        content: choice.delta.content ?? null,
        refusal: choice.delta.refusal ?? null,
        toolCalls: choice.delta.tool_calls?.map((call) => toolCallFields(call, call.index)) ?? null,
      },
    })),
    usage: usageFields(chunk.usage),
  };
}
