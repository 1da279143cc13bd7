import { MemgateError, toErrorObject } from '../errors/memgate-error.ts';
import type { StopReason } from '../limits/limit-types.ts';
import type { ChatCompletionChunk, FinishReason } from '../schemas/chat-response.ts';
import { itemId } from './response-input.ts';
import { finishedStatus, type ResponseObject, type ResponseOutputItem, responseUsage } from './response-object.ts';

/** One event of a streamed response (OpenAI's `ResponseStreamEvent`), numbered in order. */
export type ResponseStreamEvent = { type: string; sequence_number: number } & Record<string, unknown>;

export interface ResponseEventsOptions {
  /** Called with the final response (completed, incomplete, failed or cancelled) before its last event. */
  finish(response: ResponseObject): Promise<void>;
  /** True when the turn was stopped by `POST /v1/responses/{id}/cancel`. */
  cancelled(): boolean;
  /** The request id a failure names (`error.request_id`). */
  requestId?: string;
}

type MessageItem = Extract<ResponseOutputItem, { type: 'message' }>;
type CallItem = Extract<ResponseOutputItem, { type: 'function_call' }>;

/**
 * A turn's chunks as the Responses API's typed events: `response.created`, `response.in_progress`,
 * then per output item `output_item.added`, its content part or arguments deltas and `…done`
 * events, and last `response.completed` (`response.incomplete`, `response.failed`). Pure
 * translation: the turn itself is the Chat Completions one.
 */
export async function* responseEventsOf(
  chunks: AsyncIterableIterator<ChatCompletionChunk>,
  initial: ResponseObject,
  options: ResponseEventsOptions,
): AsyncGenerator<ResponseStreamEvent> {
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>): ResponseStreamEvent => ({
    type,
    sequence_number: sequence++,
    ...fields,
  });
  const response: ResponseObject = { ...initial, output: [] };
  const snapshot = (): ResponseObject => structuredClone(response);
  yield event('response.created', { response: snapshot() });
  yield event('response.in_progress', { response: snapshot() });

  let message: MessageItem | null = null;
  let text = '';
  let refusing = false;
  const calls = new Map<number, CallItem>();
  let finishReason: FinishReason = 'stop';
  let stopReason: StopReason | undefined;

  function* closeMessage(): Generator<ResponseStreamEvent> {
    if (!message) return;
    const outputIndex = response.output.indexOf(message);
    const part = partOf(refusing, text);
    const at = { item_id: message.id, output_index: outputIndex, content_index: 0 };
    if (refusing) yield event('response.refusal.done', { ...at, refusal: text });
    else yield event('response.output_text.done', { ...at, text, logprobs: [] });
    yield event('response.content_part.done', { ...at, part });
    message.content = [part];
    message.status = 'completed';
    yield event('response.output_item.done', { output_index: outputIndex, item: structuredClone(message) });
    message = null;
  }

  function* closeCalls(): Generator<ResponseStreamEvent> {
    for (const call of calls.values()) {
      const outputIndex = response.output.indexOf(call);
      yield event('response.function_call_arguments.done', {
        item_id: call.id,
        output_index: outputIndex,
        name: call.name,
        arguments: call.arguments,
      });
      call.status = 'completed';
      yield event('response.output_item.done', { output_index: outputIndex, item: structuredClone(call) });
    }
    calls.clear();
  }

  try {
    for await (const chunk of chunks) {
      if (chunk.usage) response.usage = responseUsage(chunk.usage);
      const choice = chunk.choices[0];
      if (!choice) continue;
      response.model = chunk.model;
      const delta = choice.delta;
      const content = delta.content || delta.refusal;
      if (content) {
        if (!message) {
          // The upstream's refusal (OpenAI's `refusal`) is a refusal part, as in a non-streamed response.
          refusing = !delta.content;
          message = { id: itemId('msg'), type: 'message', status: 'in_progress', role: 'assistant', content: [] };
          text = '';
          response.output.push(message);
          const outputIndex = response.output.length - 1;
          yield event('response.output_item.added', { output_index: outputIndex, item: structuredClone(message) });
          const part = partOf(refusing, '');
          yield event('response.content_part.added', {
            item_id: message.id,
            output_index: outputIndex,
            content_index: 0,
            part,
          });
        }
        text += content;
        const outputIndex = response.output.indexOf(message);
        const at = { item_id: message.id, output_index: outputIndex, content_index: 0, delta: content };
        if (refusing) yield event('response.refusal.delta', at);
        else yield event('response.output_text.delta', { ...at, logprobs: [] });
      }
      for (const toolCall of delta.tool_calls ?? []) {
        let call = calls.get(toolCall.index);
        if (!call) {
          yield* closeMessage();
          call = {
            id: itemId('fc'),
            type: 'function_call',
            status: 'in_progress',
            call_id: toolCall.id ?? '',
            name: toolCall.function?.name ?? '',
            arguments: '',
          };
          calls.set(toolCall.index, call);
          response.output.push(call);
          yield event('response.output_item.added', {
            output_index: response.output.length - 1,
            item: structuredClone(call),
          });
        }
        const argumentsDelta = toolCall.function?.arguments;
        if (argumentsDelta) {
          call.arguments += argumentsDelta;
          yield event('response.function_call_arguments.delta', {
            item_id: call.id,
            output_index: response.output.indexOf(call),
            delta: argumentsDelta,
          });
        }
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
      if (choice.stop_reason) stopReason = choice.stop_reason;
    }
    yield* closeMessage();
    yield* closeCalls();
    Object.assign(response, finishedStatus(finishReason, stopReason), { completed_at: Math.floor(Date.now() / 1000) });
    await options.finish(snapshot());
    yield event(response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', {
      response: snapshot(),
    });
  } catch (error) {
    const normalised = MemgateError.fromUnknown(error);
    const cancelled = options.cancelled();
    response.status = cancelled ? 'cancelled' : 'failed';
    response.error = cancelled ? null : responseError(normalised, options.requestId);
    for (const item of response.output) if (item.status === 'in_progress') item.status = 'incomplete';
    if (message) message.content = [partOf(refusing, text)];
    await options.finish(snapshot()).catch(() => undefined);
    yield event('response.failed', { response: snapshot() });
  }
}

function partOf(refusing: boolean, text: string): MessageItem['content'][number] {
  return refusing ? { type: 'refusal', refusal: text } : { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** A failed response's `error`: OpenAI's code and message, with the status, request id and retry-after. */
function responseError(error: MemgateError, requestId: string | undefined): NonNullable<ResponseObject['error']> {
  const { message, request_id, retry_after } = toErrorObject(error, requestId);
  return {
    code: failureCode(error),
    message,
    status: error.status,
    ...(request_id !== undefined && { request_id }),
    ...(retry_after !== undefined && { retry_after }),
  };
}

/** OpenAI's response error codes name the kind of failure; memgate's map onto the nearest. */
function failureCode(error: MemgateError): string {
  if (error.code === 'RATE_LIMITED') return 'rate_limit_exceeded';
  if (error.code === 'BAD_USER_INPUT') return 'invalid_prompt';
  return 'server_error';
}
