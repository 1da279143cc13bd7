import type { LlmMessage, LlmRequest, LlmToolChoice, LlmToolDefinition, SamplingParams } from './provider.ts';

/** The Chat Completions request body fields shared by streaming and non-streaming calls. */
export interface ChatParams extends SamplingParams {
  model: string;
  messages: LlmMessage[];
  tools?: LlmToolDefinition[];
  tool_choice?: LlmToolChoice;
  parallel_tool_calls?: boolean;
}

const SAMPLING_FIELDS = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'reasoning_effort',
  'verbosity',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'safety_identifier',
] as const satisfies readonly (keyof SamplingParams & keyof ChatParams)[];

function toChatMessage(message: LlmMessage): LlmMessage {
  // Many OpenAI-compatible servers (Ollama, vLLM chat templates) reject the `developer` role, while
  // OpenAI itself treats `system` as `developer` for the models that want it: `system` works everywhere.
  if (message.role === 'developer') return { role: 'system', content: message.content };
  return message;
}

/** Copies only the sampling parameters the client set: an explicit `undefined` must not reach the wire. */
function definedSampling(sampling: SamplingParams): Partial<ChatParams> {
  const params: Partial<Record<keyof SamplingParams, unknown>> = {};
  for (const field of SAMPLING_FIELDS) {
    if (sampling[field] !== undefined) params[field] = sampling[field];
  }
  return params as Partial<ChatParams>;
}

/** Maps a provider request onto the Chat Completions body. */
export function toChatParams(request: LlmRequest): ChatParams {
  const params: ChatParams = {
    model: request.model,
    messages: request.messages.map(toChatMessage),
    ...definedSampling(request.sampling),
  };
  // tool_choice and parallel_tool_calls without tools are rejected by OpenAI and several servers.
  if (request.tools && request.tools.length > 0) {
    params.tools = request.tools;
    if (request.toolChoice !== undefined) params.tool_choice = request.toolChoice;
    if (request.parallelToolCalls !== undefined) params.parallel_tool_calls = request.parallelToolCalls;
  }
  return params;
}
