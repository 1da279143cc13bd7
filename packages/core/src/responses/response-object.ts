import type { ToolCall, Usage } from '../domain/types.ts';
import type { StopCode, StopReason } from '../limits/limit-types.ts';
import type { ChatCompletion, FinishReason } from '../schemas/chat-response.ts';
import { itemId } from './response-input.ts';
import type { ResponseRequest } from './response-request.ts';

/** An output item of a response: the assistant's message, or a client tool call. */
export type ResponseOutputItem =
  | {
      id: string;
      type: 'message';
      status: 'in_progress' | 'completed' | 'incomplete';
      role: 'assistant';
      content: (
        | { type: 'output_text'; text: string; annotations: never[]; logprobs: never[] }
        | { type: 'refusal'; refusal: string }
      )[];
    }
  | {
      id: string;
      type: 'function_call';
      status: 'in_progress' | 'completed' | 'incomplete';
      call_id: string;
      name: string;
      arguments: string;
    };

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = 'completed' | 'failed' | 'in_progress' | 'cancelled' | 'incomplete';

/** OpenAI's `response` object, field for field. */
export interface ResponseObject {
  id: string;
  object: 'response';
  access_programs: null;
  created_at: number;
  status: ResponseStatus;
  background: false;
  completed_at: number | null;
  conversation: { id: string } | null;
  /**
   * OpenAI's `{code, message}`, with memgate's error fields as on Chat Completions' in-band error:
   * the HTTP status the failure would have had, the request id, and seconds to wait for a 429.
   */
  error: { code: string; message: string; status?: number; request_id?: string; retry_after?: number } | null;
  /** OpenAI's reasons, plus memgate's stop reasons (a per-turn limit or a budget) with their message. */
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' | StopCode; message?: string } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  max_tool_calls: number | null;
  metadata: Record<string, string>;
  model: string;
  output: ResponseOutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  prompt_cache_key: string | null;
  prompt_cache_retention: string | null;
  reasoning: { effort: string | null; summary: string | null };
  safety_identifier: string | null;
  service_tier: string;
  store: boolean;
  temperature: number | null;
  text: { format: Record<string, unknown>; verbosity: string };
  tool_choice: unknown;
  tools: unknown[];
  top_logprobs: number;
  top_p: number | null;
  truncation: 'auto' | 'disabled';
  usage: ResponseUsage | null;
  /** Echoed when the request named one. */
  user?: string;
}

/** What a response is before its turn ran: the request's settings, echoed as OpenAI does. */
export function initialResponse(
  request: ResponseRequest,
  fields: { id: string; createdAt: number; model: string; conversationId: string },
): ResponseObject {
  return {
    id: fields.id,
    object: 'response',
    access_programs: null,
    created_at: fields.createdAt,
    status: 'in_progress',
    background: false,
    completed_at: null,
    conversation: { id: fields.conversationId },
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    max_tool_calls: request.max_tool_calls ?? null,
    metadata: request.metadata ?? {},
    model: fields.model,
    output: [],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    prompt_cache_key: request.prompt_cache_key ?? null,
    prompt_cache_retention: request.prompt_cache_retention ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    safety_identifier: request.safety_identifier ?? null,
    // The tier asked for (forwarded upstream); `auto` and none are the default tier.
    service_tier: !request.service_tier || request.service_tier === 'auto' ? 'default' : request.service_tier,
    store: request.store !== false,
    temperature: request.temperature ?? null,
    text: { format: request.text?.format ?? { type: 'text' }, verbosity: request.text?.verbosity ?? 'medium' },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_logprobs: request.top_logprobs ?? 0,
    top_p: request.top_p ?? null,
    truncation: request.truncation ?? 'disabled',
    usage: null,
    ...(request.user && { user: request.user }),
  };
}

export function responseUsage(usage: Usage): ResponseUsage {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0, cache_write_tokens: 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.total_tokens,
  };
}

export function functionCallItem(
  call: ToolCall,
  status: 'in_progress' | 'completed' = 'completed',
): ResponseOutputItem {
  return {
    id: itemId('fc'),
    type: 'function_call',
    status,
    call_id: call.id,
    name: call.function.name,
    arguments: call.function.arguments,
  };
}

/** What the client sees of an assistant message: its text (or refusal) and its client tool calls. */
export interface VisibleAssistantMessage {
  content?: string | null;
  refusal?: string | null;
  tool_calls?: ToolCall[] | null;
}

/**
 * An assistant message as output items: a `message` item with its text (or refusal), then one
 * `function_call` item per client tool call. New random ids unless `ids` gives them (the
 * Conversations API names the items of stored messages by the message's id).
 */
export function outputItemsOf(
  message: VisibleAssistantMessage,
  ids: { message: () => string; call: (index: number) => string } = {
    message: () => itemId('msg'),
    call: () => itemId('fc'),
  },
): ResponseOutputItem[] {
  const output: ResponseOutputItem[] = [];
  if (message.content || message.refusal) {
    output.push({
      id: ids.message(),
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: message.refusal
        ? [{ type: 'refusal', refusal: message.refusal }]
        : [{ type: 'output_text', text: message.content ?? '', annotations: [], logprobs: [] }],
    });
  }
  (message.tool_calls ?? []).forEach((call, index) => {
    output.push({ ...functionCallItem(call), id: ids.call(index) });
  });
  return output;
}

/** The status a finished turn gives its response, and why it is incomplete when it is. */
export function finishedStatus(
  finishReason: FinishReason,
  stopReason?: StopReason,
): Pick<ResponseObject, 'status' | 'incomplete_details'> {
  if (stopReason) {
    return { status: 'incomplete', incomplete_details: { reason: stopReason.code, message: stopReason.message } };
  }
  if (finishReason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter')
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/** A finished response from the turn's `chat.completion`. */
export function completedResponse(initial: ResponseObject, completion: ChatCompletion): ResponseObject {
  const choice = completion.choices[0];
  const output = choice?.message ? outputItemsOf(choice.message) : [];
  const finished = finishedStatus(choice?.finish_reason ?? 'stop', choice?.stop_reason);
  return {
    ...initial,
    ...finished,
    model: completion.model,
    completed_at: Math.floor(Date.now() / 1000),
    output,
    usage: responseUsage(completion.usage),
  };
}
