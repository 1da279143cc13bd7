import { fieldError } from '../errors/validation.ts';
import type { ResponseRequest } from './response-request.ts';

const UNSUPPORTED = 'unsupported_parameter';

/** `field is not supported…: reason`, as a 422 at `field`. */
function unsupported(loc: (string | number)[], reason: string) {
  return fieldError(['body', ...loc], `${loc.join('.')} is not supported: ${reason}`, UNSUPPORTED);
}

/**
 * Refuses the Responses fields a memgate turn cannot honour, with the reason, so that nothing is
 * silently ignored. What Chat Completions also has (moderation, logprobs…) is refused by the turn's
 * own checks, in the same words.
 */
export function assertResponseSupported(request: ResponseRequest): void {
  if (request.background) {
    throw unsupported(
      ['background'],
      'background responses are not available yet: leave background unset, and use stream: true to see the response as it is made.',
    );
  }
  if (request.background_options !== undefined && request.background_options !== null) {
    throw unsupported(['background_options'], 'it applies to background responses, which are not available yet.');
  }
  if (request.prompt) {
    throw unsupported(
      ['prompt'],
      "reusable prompts live in OpenAI's dashboard; send the prompt's text as instructions or input instead.",
    );
  }
  if (request.include?.includes('message.output_text.logprobs')) {
    throw unsupported(
      ['include'],
      '"message.output_text.logprobs": the reply is assembled from the agent’s tool calls, not one sampled text.',
    );
  }
  if (request.image) {
    throw unsupported(['image'], 'images are sent to the upstream model as given; memgate has no image options.');
  }
  if (request.access_programs !== undefined && request.access_programs !== null) {
    throw unsupported(['access_programs'], "access programs are OpenAI's own; memgate has none.");
  }
}

/**
 * The request's fields that become Chat Completions fields of the turn: the sampling and caching
 * parameters forwarded on every upstream call, and the ones the turn's own checks refuse.
 */
export function chatFieldsOf(request: ResponseRequest): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const set = (name: string, value: unknown) => {
    if (value !== undefined && value !== null) fields[name] = value;
  };
  set('max_completion_tokens', request.max_output_tokens);
  set('temperature', request.temperature);
  set('top_p', request.top_p);
  set('reasoning_effort', request.reasoning?.effort);
  set('verbosity', request.text?.verbosity);
  set('service_tier', request.service_tier);
  set('prompt_cache_key', request.prompt_cache_key);
  set('prompt_cache_retention', request.prompt_cache_retention);
  set('safety_identifier', request.safety_identifier);
  set('moderation', request.moderation);
  if (request.prompt_cache_options) {
    // comparison_response_id asks OpenAI for cache diagnostics; memgate has none to give.
    const { mode, ttl } = request.prompt_cache_options;
    set('prompt_cache_options', { ...(mode && { mode }), ...(ttl && { ttl }) });
  }
  // top_logprobs: 0 asks for nothing; more is refused by the turn, as on Chat Completions.
  if (request.top_logprobs) fields['top_logprobs'] = request.top_logprobs;
  set('store', request.store === false ? false : undefined);
  set('metadata', request.metadata);
  return fields;
}
