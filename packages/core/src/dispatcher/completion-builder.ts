import { randomBytes } from 'node:crypto';
import type { TurnEvent } from '../agent/turn-types.ts';
import type { ToolCall, Usage } from '../domain/types.ts';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessage,
  ChunkDelta,
  FinishReason,
} from '../schemas/chat-response.ts';

export function completionId(): string {
  return `chatcmpl-${randomBytes(12).toString('base64url')}`;
}

/** Aggregates turn events into one `chat.completion`. */
export async function collectCompletion(
  events: AsyncIterable<TurnEvent>,
  identity: { id: string; created: number },
): Promise<ChatCompletion> {
  let content: string | null = null;
  let refusal: string | null = null;
  let toolCalls: ToolCall[] = [];
  let style: 'tool' | 'function' = 'tool';
  for await (const event of events) {
    if (event.type === 'content') content = (content ?? '') + event.delta;
    else if (event.type === 'refusal') refusal = (refusal ?? '') + event.delta;
    else if (event.type === 'client_tool_calls') {
      toolCalls = event.calls;
      style = event.style;
    } else {
      const message: ChatCompletionMessage = { role: 'assistant', content, refusal };
      const first = toolCalls[0];
      if (style === 'function' && first) message.function_call = { ...first.function };
      else if (toolCalls.length > 0) message.tool_calls = toolCalls;
      return {
        id: identity.id,
        object: 'chat.completion',
        created: identity.created,
        model: event.model,
        system_fingerprint: null,
        choices: [
          {
            index: 0,
            message,
            finish_reason: event.finishReason,
            logprobs: null,
            ...(event.stopReason && { stop_reason: event.stopReason }),
          },
        ],
        usage: event.usage,
      };
    }
  }
  throw new Error('The turn ended without an end event.');
}

export interface ChunkOptions {
  id: string;
  created: number;
  model: string;
  includeUsage: boolean;
}

/** Turns turn events into `chat.completion.chunk`s: role first, finish_reason once, usage last. */
export async function* chunksOf(
  events: AsyncIterable<TurnEvent>,
  options: ChunkOptions,
): AsyncGenerator<ChatCompletionChunk> {
  const model = options.model;
  const chunk = (delta: ChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk => ({
    id: options.id,
    object: 'chat.completion.chunk',
    created: options.created,
    model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });
  let started = false;
  for await (const event of events) {
    if (!started) {
      started = true;
      yield chunk({ role: 'assistant', content: '' });
    }
    if (event.type === 'content') {
      yield chunk({ content: event.delta });
    } else if (event.type === 'refusal') {
      yield chunk({ refusal: event.delta });
    } else if (event.type === 'client_tool_calls') {
      if (event.style === 'function') {
        const first = event.calls[0];
        if (first) yield chunk({ function_call: { name: first.function.name, arguments: first.function.arguments } });
        continue;
      }
      for (const [index, call] of event.calls.entries()) {
        yield chunk({
          tool_calls: [
            {
              index,
              id: call.id,
              type: 'function',
              function: { name: call.function.name, arguments: call.function.arguments },
            },
          ],
        });
      }
    } else {
      const last = chunk({}, event.finishReason);
      if (event.stopReason && last.choices[0]) last.choices[0].stop_reason = event.stopReason;
      yield last;
      if (options.includeUsage) yield usageChunk(options, model, event.usage);
    }
  }
}

function usageChunk(options: ChunkOptions, model: string, usage: Usage): ChatCompletionChunk {
  return {
    id: options.id,
    object: 'chat.completion.chunk',
    created: options.created,
    model,
    system_fingerprint: null,
    choices: [],
    usage,
  };
}
