import type { ChatCompletion, ChatCompletionChunk } from '@memgate/core';
import type { CallOptions, CompleteOutcome, ConformanceError, ProtocolClient, StreamOutcome } from '@memgate/testkit';
import { EventSourceParserStream } from 'eventsource-parser/stream';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A Chat Completions content part as a Responses one: text is `input_text` (`output_text` from the
 * assistant), an image is `input_image`, audio stays `input_audio` and a file is `input_file`. What
 * is not a part is passed as it is, for the server to refuse.
 */
function partOf(part: unknown, assistant: boolean): unknown {
  if (!isObject(part)) return part;
  const { type, ...rest } = part;
  if (type === 'text') return { ...rest, type: assistant ? 'output_text' : 'input_text' };
  if (type === 'image_url') {
    const image = part['image_url'];
    if (!isObject(image)) return { type: 'input_image', image_url: image };
    return {
      type: 'input_image',
      image_url: image['url'],
      ...(image['detail'] !== undefined && { detail: image['detail'] }),
    };
  }
  if (type === 'file')
    return { type: 'input_file', ...(isObject(part['file']) ? part['file'] : { file: part['file'] }) };
  return part;
}

const contentOf = (content: unknown, assistant: boolean): unknown =>
  Array.isArray(content) ? content.map((part) => partOf(part, assistant)) : content;

/** One chat message as the Responses input items that say the same (a message, calls, a call's output). */
function itemsOf(message: unknown): unknown[] {
  if (!isObject(message)) return [message];
  const { role, content } = message;
  if (role === 'tool') {
    return [{ type: 'function_call_output', call_id: message['tool_call_id'], output: contentOf(content, false) }];
  }
  if (role !== 'assistant') return [{ type: 'message', role, content: contentOf(content, false) }];
  const items: unknown[] = [];
  if (content !== null && content !== undefined && content !== '') {
    items.push({ type: 'message', role, content: contentOf(content, true) });
  }
  const calls = message['tool_calls'];
  if (calls === undefined || calls === null) return items.length ? items : [{ type: 'message', role, content: '' }];
  if (!Array.isArray(calls)) return [...items, { type: 'function_call', call_id: calls }];
  for (const call of calls) {
    const fn = isObject(call) && isObject(call['function']) ? call['function'] : {};
    items.push({
      type: 'function_call',
      call_id: isObject(call) ? call['id'] : call,
      name: fn['name'],
      arguments: fn['arguments'],
    });
  }
  return items;
}

/** A chat tool definition as a Responses function tool (its fields at the top level). */
function toolOf(tool: unknown): unknown {
  if (!isObject(tool) || tool['type'] !== 'function' || !isObject(tool['function'])) return tool;
  return { type: 'function', ...tool['function'] };
}

/**
 * A Chat Completions request body as the Responses request that asks for the same turn. Fields
 * with another name or place move (`messages` → `input`, `max_tokens` → `max_output_tokens`,
 * `response_format` → `text.format`, `reasoning_effort` → `reasoning.effort`…); fields the Responses
 * API shares keep their place; fields it does not have (`seed`, `stop`…) stay, for the server to
 * refuse as OpenAI does. `stream_options.include_usage` has no field: a response always reports
 * its usage, and the client shows it when it was asked for.
 */
export function responsesBodyOf(body: Json, options: CallOptions = {}): Json {
  const {
    messages,
    tools,
    tool_choice,
    response_format,
    max_tokens,
    max_completion_tokens,
    reasoning_effort,
    verbosity,
    stream_options,
    modalities,
    ...shared
  } = body;
  const request: Json = { ...shared };
  request['input'] = Array.isArray(messages) ? messages.flatMap(itemsOf) : messages;
  if (tools !== undefined) request['tools'] = Array.isArray(tools) ? tools.map(toolOf) : tools;
  if (tool_choice !== undefined) {
    const named = isObject(tool_choice) && isObject(tool_choice['function']) ? tool_choice['function'] : null;
    request['tool_choice'] = named ? { type: 'function', name: named['name'] } : tool_choice;
  }
  const maxTokens = max_completion_tokens ?? max_tokens;
  if (maxTokens !== undefined) request['max_output_tokens'] = maxTokens;
  if (reasoning_effort !== undefined) request['reasoning'] = { effort: reasoning_effort };
  const text: Json = {};
  if (verbosity !== undefined) text['verbosity'] = verbosity;
  if (response_format !== undefined) {
    const schema = isObject(response_format) ? response_format['json_schema'] : undefined;
    text['format'] =
      isObject(response_format) && response_format['type'] === 'json_schema' && isObject(schema)
        ? { type: 'json_schema', ...schema }
        : response_format;
  }
  if (Object.keys(text).length) request['text'] = text;
  if (
    stream_options !== undefined &&
    !(isObject(stream_options) && Object.keys(stream_options).join() === 'include_usage')
  ) {
    request['stream_options'] = stream_options;
  }
  // Responses produce text only: ["text"] is what they always do; anything else has no field.
  if (modalities !== undefined && JSON.stringify(modalities) !== '["text"]') request['modalities'] = modalities;
  if (options.conversationId) request['conversation'] = options.conversationId;
  return request;
}

interface ResponseError {
  code?: string;
  message?: string;
  status?: number;
  request_id?: string;
  retry_after?: number;
}

interface ResponseUsage {
  input_tokens: number;
  input_tokens_details?: { cached_tokens?: number };
  output_tokens: number;
  total_tokens: number;
}

interface ResponseBody {
  id: string;
  created_at: number;
  model: string;
  status: string;
  incomplete_details: { reason: string } | null;
  error: ResponseError | null;
  output: Json[];
  usage: ResponseUsage | null;
}

function conformanceError(status: number, error: ResponseError | undefined): ConformanceError {
  const reported: ConformanceError = { status, message: error?.message ?? '' };
  if (error?.request_id !== undefined) reported.requestId = error.request_id;
  if (error?.retry_after !== undefined) reported.retryAfter = error.retry_after;
  return reported;
}

/** Usage as Chat Completions reports it; cached tokens only when there were some, as upstreams do. */
function chatUsage(usage: ResponseUsage) {
  const cached = usage.input_tokens_details?.cached_tokens ?? 0;
  return {
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: usage.total_tokens,
    ...(cached > 0 && { prompt_tokens_details: { cached_tokens: cached } }),
  };
}

/** The finish reason a finished response stands for. */
function finishReasonOf(response: ResponseBody): string {
  if (response.status === 'incomplete') {
    return response.incomplete_details?.reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return response.output.some((item) => item['type'] === 'function_call') ? 'tool_calls' : 'stop';
}

/** A finished response as the `chat.completion` it stands for. */
function completionOf(response: ResponseBody): ChatCompletion {
  let content: string | null = null;
  let refusal: string | null = null;
  const toolCalls: Json[] = [];
  for (const item of response.output) {
    if (item['type'] === 'function_call') {
      toolCalls.push({
        id: item['call_id'],
        type: 'function',
        function: { name: item['name'], arguments: item['arguments'] },
      });
    }
    if (item['type'] !== 'message') continue;
    for (const part of item['content'] as Json[]) {
      if (part['type'] === 'output_text') content = (content ?? '') + String(part['text']);
      if (part['type'] === 'refusal') refusal = (refusal ?? '') + String(part['refusal']);
    }
  }
  const message: Json = { role: 'assistant', content, refusal };
  if (toolCalls.length) message['tool_calls'] = toolCalls;
  return {
    id: response.id,
    object: 'chat.completion',
    created: response.created_at,
    model: response.model,
    choices: [{ index: 0, message, finish_reason: finishReasonOf(response), logprobs: null }],
    usage: response.usage ? chatUsage(response.usage) : undefined,
  } as unknown as ChatCompletion;
}

/**
 * A response's stream events as the Chat Completions chunks they stand for: the role chunk when
 * the response is created, a content, refusal or tool-call delta per delta event, the finish reason
 * when it ends, and the usage chunk when `include_usage` was asked for.
 */
class ChunkTranslator {
  readonly chunks: ChatCompletionChunk[] = [];
  error: ConformanceError | undefined;
  ended = false;
  #id = '';
  #created = 0;
  #model = '';
  readonly #callIndex = new Map<string, number>();

  constructor(private readonly includeUsage: boolean) {}

  #push(delta: Json, finishReason: string | null = null): void {
    this.chunks.push({
      id: this.#id,
      object: 'chat.completion.chunk',
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    } as unknown as ChatCompletionChunk);
  }

  take(event: Json): void {
    const response = event['response'] as ResponseBody | undefined;
    switch (event['type']) {
      case 'response.created':
        this.#id = response!.id;
        this.#created = response!.created_at;
        this.#model = response!.model;
        this.#push({ role: 'assistant', content: '' });
        return;
      case 'response.output_text.delta':
        this.#push({ content: event['delta'] });
        return;
      case 'response.refusal.delta':
        this.#push({ refusal: event['delta'] });
        return;
      case 'response.output_item.added': {
        const item = event['item'] as Json;
        if (item['type'] !== 'function_call') return;
        const index = this.#callIndex.size;
        this.#callIndex.set(String(item['id']), index);
        this.#push({
          tool_calls: [
            { index, id: item['call_id'], type: 'function', function: { name: item['name'], arguments: '' } },
          ],
        });
        return;
      }
      case 'response.function_call_arguments.delta':
        this.#push({
          tool_calls: [
            { index: this.#callIndex.get(String(event['item_id'])), function: { arguments: event['delta'] } },
          ],
        });
        return;
      case 'response.completed':
      case 'response.incomplete':
        this.ended = true;
        this.#push({}, finishReasonOf(response!));
        if (this.includeUsage && response!.usage) {
          this.chunks.push({
            id: this.#id,
            object: 'chat.completion.chunk',
            created: this.#created,
            model: this.#model,
            choices: [],
            usage: chatUsage(response!.usage),
          } as unknown as ChatCompletionChunk);
        }
        return;
      case 'response.failed':
        this.ended = true;
        this.error = conformanceError(response?.error?.status ?? 0, response?.error ?? undefined);
        return;
      case 'error':
        this.ended = true;
        this.error = conformanceError(0, event as ResponseError);
        return;
      default:
    }
  }
}

/**
 * The Responses API (`POST /v1/responses`) through plain fetch, seen as Chat Completions: the
 * request body is translated to the Responses request that asks for the same turn, and the
 * response object or its typed events back to the completion or chunks they stand for. The
 * official SDKs are exercised against the same route in their own tests.
 */
export function responsesClient(baseUrl: string, apiKey: string | null): ProtocolClient {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey) headers['authorization'] = `Bearer ${apiKey}`;
  const post = (body: Json, options: CallOptions = {}) =>
    fetch(`${baseUrl}/v1/responses`, { method: 'POST', headers, body: JSON.stringify(responsesBodyOf(body, options)) });
  const failure = async (response: Response) => {
    const payload = (await response.json()) as { error?: ResponseError };
    const error = conformanceError(response.status, payload.error);
    const header = response.headers.get('retry-after');
    if (String(error.retryAfter ?? null) !== String(header ?? null)) {
      throw new Error(`Retry-After header ${header} disagrees with error.retry_after ${error.retryAfter}`);
    }
    return { ok: false as const, error };
  };
  return {
    turnIds: /^resp_/,
    absentFields: ['seed', 'stop'],
    async complete(body, options): Promise<CompleteOutcome> {
      const response = await post(body, options);
      if (!response.ok) return failure(response);
      const answer = (await response.json()) as ResponseBody;
      if (answer.status === 'failed') throw new Error(`a failed response with status 200: ${answer.error?.message}`);
      return { ok: true, completion: completionOf(answer) };
    },
    async stream(body, options): Promise<StreamOutcome> {
      const response = await post({ ...body, stream: true }, options);
      if (!response.ok) return failure(response);
      const includeUsage = isObject(body['stream_options']) && body['stream_options']['include_usage'] === true;
      const translator = new ChunkTranslator(includeUsage);
      const events = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
      let sequence = 0;
      for await (const message of events) {
        const event = JSON.parse(message.data) as Json;
        if (message.event !== event['type']) throw new Error(`event: ${message.event} names ${event['type']}`);
        if (event['sequence_number'] !== sequence++) throw new Error(`event ${event['type']} is out of sequence`);
        if (translator.ended) throw new Error(`event ${event['type']} after the response ended`);
        translator.take(event);
      }
      if (!translator.ended) throw new Error('The stream ended without response.completed or response.failed.');
      const { chunks, error } = translator;
      return error ? { ok: true, chunks, error } : { ok: true, chunks };
    },
    async close() {},
  };
}
