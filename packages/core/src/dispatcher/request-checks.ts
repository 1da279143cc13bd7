import { fieldError } from '../errors/validation.ts';
import type { SamplingParams } from '../llm/provider.ts';
import type { ChatCompletionRequest } from '../schemas/chat-request.ts';

const UNSUPPORTED = 'unsupported_parameter';

/** Request fields passed unchanged to every upstream call of the turn. */
const FORWARDED = [
  'reasoning_effort',
  'verbosity',
  'service_tier',
  'prompt_cache_retention',
  'prompt_cache_options',
  'safety_identifier',
] as const satisfies readonly (keyof ChatCompletionRequest & keyof SamplingParams)[];

/**
 * Refuses what an agent turn cannot honour, so that nothing is silently ignored. The reply of a
 * turn is what the agent sent with send_message, which rules out alternatives and log probabilities.
 */
export function assertSupported(request: ChatCompletionRequest): void {
  assertStatefulFeatures(request);
  if (request.n !== undefined && request.n > 1) {
    throw fieldError(
      ['body', 'n'],
      'n > 1 is not supported: an agent produces exactly one reply per turn (its memory changes with it).',
      UNSUPPORTED,
    );
  }
  if (request.logprobs === true) {
    throw fieldError(
      ['body', 'logprobs'],
      'logprobs is not supported: the reply is assembled from the agent’s tool calls, not one sampled text.',
      UNSUPPORTED,
    );
  }
  if (request.top_logprobs !== undefined) {
    throw fieldError(['body', 'top_logprobs'], 'top_logprobs is not supported (it needs logprobs).', UNSUPPORTED);
  }
  if (request.response_format?.type === 'json_object' && !mentionsJson(request)) {
    // OpenAI's own rule for JSON mode, word for word: without it models may loop on whitespace.
    throw fieldError(
      ['body', 'messages'],
      "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
    );
  }
  if (request.stream_options && request.stream !== true) {
    throw fieldError(['body', 'stream_options'], 'stream_options is only allowed when stream is true.');
  }
  if (request.tools && request.functions) {
    throw fieldError(['body', 'functions'], 'Use either tools or the legacy functions, not both.');
  }
  if (request.tool_choice !== undefined && request.tool_choice !== 'none' && !request.tools?.length) {
    throw fieldError(['body', 'tool_choice'], 'tool_choice is only allowed when tools are specified.');
  }
  if (request.function_call !== undefined && request.function_call !== 'none' && !request.functions?.length) {
    throw fieldError(['body', 'function_call'], 'function_call is only allowed when functions are specified.');
  }
  if (request.parallel_tool_calls !== undefined && !request.tools?.length) {
    throw fieldError(['body', 'parallel_tool_calls'], 'parallel_tool_calls is only allowed when tools are specified.');
  }
}

/** `field is not supported for a stateful agent: reason`, as a 422 at `field`. */
function unsupported(loc: (string | number)[], reason: string) {
  return fieldError(['body', ...loc], `${loc.join('.')} is not supported for a stateful agent: ${reason}`, UNSUPPORTED);
}

/** Fields OpenAI knows whose meaning an agent turn cannot honour: refused with the reason. */
function assertStatefulFeatures(request: ChatCompletionRequest): void {
  if (request.audio !== undefined) {
    throw unsupported(['audio'], 'replies are the text the agent sends with send_message; there is no audio output.');
  }
  if (request.modalities?.includes('audio')) {
    throw unsupported(['modalities'], 'only ["text"]: replies are the text the agent sends with send_message.');
  }
  if (request.prediction !== undefined) {
    throw unsupported(
      ['prediction'],
      'the reply is composed by the agent through its tool calls, not regenerated from a known text.',
    );
  }
  if (request.web_search_options !== undefined) {
    throw unsupported(
      ['web_search_options'],
      "web search is built into OpenAI's search models; offer a search function as a client tool instead.",
    );
  }
  if (request.moderation !== undefined) {
    throw unsupported(
      ['moderation'],
      'a turn makes several upstream calls, whose moderation results cannot be reported as one reply’s.',
    );
  }
  request.tools?.forEach((tool, index) => {
    if (tool.type === 'custom') {
      throw unsupported(
        ['tools', index, 'type'],
        'client tools must be function tools with JSON arguments, which memgate relays and then resumes the turn with.',
      );
    }
  });
  const choice = request.tool_choice;
  if (typeof choice === 'object' && (choice.type === 'allowed_tools' || choice.type === 'custom')) {
    throw unsupported(
      ['tool_choice', 'type'],
      `"${choice.type}" is not honoured yet; offer only the tools the turn may use, or name one function.`,
    );
  }
  if (request.store === false && (request.tools?.length || request.functions?.length)) {
    throw fieldError(
      ['body', 'store'],
      'store: false cannot be combined with client tools: their calls would not be stored, so the next request could not answer them.',
      UNSUPPORTED,
    );
  }
}

function mentionsJson(request: ChatCompletionRequest): boolean {
  return request.messages.some((message) => {
    const content = message.content;
    if (typeof content === 'string') return /json/i.test(content);
    if (!Array.isArray(content)) return false;
    return content.some((part) => part.type === 'text' && typeof part.text === 'string' && /json/i.test(part.text));
  });
}

/**
 * The parameters forwarded to every upstream call of the turn. Without a `prompt_cache_key` the
 * agent id is sent, so that the provider's prompt cache keeps hitting the agent's stable prefix.
 */
export function samplingOf(request: ChatCompletionRequest, agentId: string): SamplingParams {
  const sampling: SamplingParams = { prompt_cache_key: request.prompt_cache_key ?? agentId };
  for (const field of FORWARDED) {
    if (request[field] !== undefined) Object.assign(sampling, { [field]: request[field] });
  }
  if (request.temperature !== undefined) sampling.temperature = request.temperature;
  if (request.top_p !== undefined) sampling.top_p = request.top_p;
  if (request.max_tokens !== undefined) sampling.max_tokens = request.max_tokens;
  if (request.max_completion_tokens !== undefined) sampling.max_completion_tokens = request.max_completion_tokens;
  if (request.stop !== undefined) sampling.stop = request.stop;
  if (request.seed !== undefined) sampling.seed = request.seed;
  if (request.presence_penalty !== undefined) sampling.presence_penalty = request.presence_penalty;
  if (request.frequency_penalty !== undefined) sampling.frequency_penalty = request.frequency_penalty;
  if (request.logit_bias !== undefined) sampling.logit_bias = request.logit_bias;
  return sampling;
}
