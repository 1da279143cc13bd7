import type { ChatCompletion, ChatCompletionChunk, ChunkToolCall, Usage } from '@memgate/core';

/** Translates between the REST objects the conformance suite speaks and the GraphQL types. */

interface ToolCallFields {
  index: number | null;
  id: string | null;
  type: string | null;
  function: { name: string | null; arguments: string | null } | null;
}
interface UsageFields {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  promptTokensDetails?: { cachedTokens: number } | null;
}
export interface CompletionFields {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  systemFingerprint: string | null;
  choices: {
    index: number;
    finishReason: ChatCompletion['choices'][number]['finish_reason'];
    message: { role: 'assistant'; content: string | null; refusal: string | null; toolCalls: ToolCallFields[] | null };
  }[];
  usage: UsageFields | null;
}
export interface ChunkFields {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  systemFingerprint: string | null;
  choices: {
    index: number;
    finishReason: ChatCompletionChunk['choices'][number]['finish_reason'];
    delta: {
      role: 'assistant' | null;
      content: string | null;
      refusal: string | null;
      toolCalls: ToolCallFields[] | null;
    };
  }[];
  usage: UsageFields | null;
}

const defined = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));

const usageOf = (usage: UsageFields): Usage => ({
  prompt_tokens: usage.promptTokens,
  completion_tokens: usage.completionTokens,
  total_tokens: usage.totalTokens,
  ...(usage.promptTokensDetails && {
    prompt_tokens_details: { cached_tokens: usage.promptTokensDetails.cachedTokens },
  }),
});

const chunkToolCall = (call: ToolCallFields) =>
  defined({
    index: call.index,
    id: call.id,
    type: call.type,
    function: call.function && defined(call.function),
  }) as unknown as ChunkToolCall;

/** The `chat.completion` REST would have answered. */
export function restCompletion(fields: CompletionFields): ChatCompletion {
  return {
    id: fields.id,
    object: fields.object,
    created: fields.created,
    model: fields.model,
    system_fingerprint: fields.systemFingerprint,
    choices: fields.choices.map((choice) => ({
      index: choice.index,
      finish_reason: choice.finishReason,
      logprobs: null,
      message: {
        role: choice.message.role,
        content: choice.message.content,
        refusal: choice.message.refusal,
        ...(choice.message.toolCalls
          ? {
              tool_calls: choice.message.toolCalls.map((call) => ({
                id: call.id ?? '',
                type: 'function' as const,
                function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
              })),
            }
          : {}),
      },
    })),
    usage: fields.usage ? usageOf(fields.usage) : { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

/** The `chat.completion.chunk` REST would have streamed. */
export function restChunk(fields: ChunkFields): ChatCompletionChunk {
  return {
    id: fields.id,
    object: fields.object,
    created: fields.created,
    model: fields.model,
    system_fingerprint: fields.systemFingerprint,
    choices: fields.choices.map((choice) => ({
      index: choice.index,
      finish_reason: choice.finishReason,
      logprobs: null,
      delta: defined({
        role: choice.delta.role,
        content: choice.delta.content,
        refusal: choice.delta.refusal,
        tool_calls: choice.delta.toolCalls?.map(chunkToolCall),
      }),
    })),
    ...(fields.usage ? { usage: usageOf(fields.usage) } : {}),
  };
}

const INPUT_KEYS: Record<string, string> = {
  user: 'agentId',
  model: 'model',
  temperature: 'temperature',
  top_p: 'topP',
  max_tokens: 'maxTokens',
  max_completion_tokens: 'maxCompletionTokens',
  stop: 'stop',
  seed: 'seed',
  presence_penalty: 'presencePenalty',
  frequency_penalty: 'frequencyPenalty',
  tools: 'tools',
  tool_choice: 'toolChoice',
  logit_bias: 'logitBias',
  parallel_tool_calls: 'parallelToolCalls',
  metadata: 'metadata',
  store: 'store',
  modalities: 'modalities',
  reasoning_effort: 'reasoningEffort',
  verbosity: 'verbosity',
  service_tier: 'serviceTier',
  prompt_cache_key: 'promptCacheKey',
  prompt_cache_retention: 'promptCacheRetention',
  prompt_cache_options: 'promptCacheOptions',
  safety_identifier: 'safetyIdentifier',
  response_format: 'responseFormat',
};

type RestMessage = { role: string; content?: unknown; name?: string; tool_call_id?: string; tool_calls?: unknown };

/** The GraphQL `ChatCompletionInput` for a REST request body; throws on what GraphQL cannot say. */
export function graphqlInput(body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'stream') continue;
    if (key === 'messages') {
      input['messages'] = (value as RestMessage[]).map((message) =>
        defined({
          role: message.role,
          // Parts travel in the added contentParts field; content stays a String.
          content: Array.isArray(message.content) ? undefined : message.content,
          contentParts: Array.isArray(message.content) ? message.content : undefined,
          name: message.name,
          toolCallId: message.tool_call_id,
          toolCalls: message.tool_calls,
        }),
      );
    } else if (key === 'stream_options') {
      input['streamOptions'] = { includeUsage: (value as { include_usage?: boolean }).include_usage };
    } else if (INPUT_KEYS[key]) {
      input[INPUT_KEYS[key]] = value;
    } else {
      throw new Error(`The GraphQL input has no field for "${key}".`);
    }
  }
  return input;
}
