import type { ToolCall, Usage } from '../domain/types.ts';
import { upstreamFailure } from './openai-errors.ts';
import {
  isObject,
  newToolCallId,
  normaliseArguments,
  normaliseUsage,
  throwIfErrorBody,
  zeroUsage,
} from './openai-response.ts';
import type { LlmResult, LlmStreamEvent } from './provider.ts';

interface PartialToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Turns `chat.completion.chunk` objects into provider stream events and assembles the final result.
 * Only choice 0 is read: memgate never asks for n > 1.
 */
export class ChatStreamAssembler {
  readonly #requestedModel: string;
  #model = '';
  #content = '';
  #sawContent = false;
  #refusal = '';
  #sawChoice = false;
  #finishReason: string | null = null;
  #usage: Usage | null = null;
  readonly #toolCalls = new Map<number, PartialToolCall>();
  #lastToolIndex = -1;

  constructor(requestedModel: string) {
    this.#requestedModel = requestedModel;
  }

  /** Reads one chunk; returns the events it carries (usually one, often none). */
  accept(chunk: unknown): LlmStreamEvent[] {
    if (!isObject(chunk)) throw upstreamFailure('The upstream LLM sent a garbled stream chunk.', null);
    throwIfErrorBody(chunk);
    if (this.#model === '' && typeof chunk['model'] === 'string') this.#model = chunk['model'];
    // Some servers repeat cumulative usage on every chunk: the last one wins.
    this.#usage = normaliseUsage(chunk['usage']) ?? this.#usage;
    const choices = chunk['choices'];
    if (!Array.isArray(choices)) return [];
    const choice: unknown = choices.find((item) => isObject(item) && (item['index'] ?? 0) === 0);
    if (!isObject(choice)) return [];
    this.#sawChoice = true;
    if (typeof choice['finish_reason'] === 'string') this.#finishReason = choice['finish_reason'];
    const delta = choice['delta'];
    if (!isObject(delta)) return [];
    const events: LlmStreamEvent[] = [];
    if (typeof delta['content'] === 'string' && delta['content'] !== '') {
      this.#content += delta['content'];
      this.#sawContent = true;
      events.push({ type: 'content', delta: delta['content'] });
    }
    if (typeof delta['refusal'] === 'string' && delta['refusal'] !== '') {
      this.#refusal += delta['refusal'];
      events.push({ type: 'refusal', delta: delta['refusal'] });
    }
    if (Array.isArray(delta['tool_calls'])) {
      for (const toolDelta of delta['tool_calls']) {
        const event = this.#acceptToolDelta(toolDelta);
        if (event) events.push(event);
      }
    }
    return events;
  }

  #acceptToolDelta(toolDelta: unknown): LlmStreamEvent | null {
    if (!isObject(toolDelta)) return null;
    const fn = isObject(toolDelta['function']) ? toolDelta['function'] : {};
    const id = typeof toolDelta['id'] === 'string' && toolDelta['id'] !== '' ? toolDelta['id'] : undefined;
    const name = typeof fn['name'] === 'string' && fn['name'] !== '' ? fn['name'] : undefined;
    const argumentsDelta = typeof fn['arguments'] === 'string' ? fn['arguments'] : '';
    const index = this.#indexOf(toolDelta['index'], id);
    // Ids and names travel on the first delta that has them, even from servers that repeat them.
    const event: Extract<LlmStreamEvent, { type: 'tool_call' }> = { type: 'tool_call', index, argumentsDelta };
    let call = this.#toolCalls.get(index);
    if (!call) {
      // Generated here, not at the end, so the first event and the result agree on the id.
      call = { id: id ?? newToolCallId(), name: '', arguments: '' };
      this.#toolCalls.set(index, call);
      event.id = call.id;
    }
    if (name && call.name === '') {
      call.name = name;
      event.name = name;
    }
    call.arguments += argumentsDelta;
    this.#lastToolIndex = index;
    return event;
  }

  /** Servers that omit `index` (some Gemini and Mistral gateways) send one whole call per delta. */
  #indexOf(rawIndex: unknown, id: string | undefined): number {
    if (typeof rawIndex === 'number' && Number.isInteger(rawIndex) && rawIndex >= 0) return rawIndex;
    const last = this.#toolCalls.get(this.#lastToolIndex);
    if (last && (id === undefined || id === last.id)) return this.#lastToolIndex;
    return this.#toolCalls.size === 0 ? 0 : Math.max(...this.#toolCalls.keys()) + 1;
  }

  /** The assembled result; throws when the stream ended before the upstream finished its answer. */
  finish(): LlmResult {
    if (!this.#sawChoice) throw upstreamFailure('The upstream LLM stream ended without any choices.', null);
    if (this.#finishReason === null) {
      throw upstreamFailure('The upstream LLM stream ended before its finish_reason: the answer is truncated.', null);
    }
    const toolCalls: ToolCall[] = [...this.#toolCalls.entries()]
      .sort(([left], [right]) => left - right)
      .filter(([, call]) => call.name !== '')
      .map(([, call]) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: normaliseArguments(call.arguments) },
      }));
    return {
      model: this.#model || this.#requestedModel,
      content: this.#sawContent ? this.#content : null,
      ...(this.#refusal === '' ? {} : { refusal: this.#refusal }),
      toolCalls,
      finishReason: this.#finishReason,
      usage: this.#usage ?? zeroUsage(),
    };
  }
}
