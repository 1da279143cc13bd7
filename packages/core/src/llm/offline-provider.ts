import { randomUUID } from 'node:crypto';
import { isSummaryRequest } from '../context/summary-prompt.ts';
import type { ToolCall, Usage } from '../domain/types.ts';
import { contentTextOf } from './message-text.ts';
import { decideOfflineReply } from './offline-replies.ts';
import { offlineSummary } from './offline-summary.ts';
import type { LlmCallOptions, LlmProvider, LlmRequest, LlmResult, LlmStreamEvent } from './provider.ts';

/** The offline model's name, in results and in GET /v1/models. */
export const OFFLINE_MODEL = 'memgate-offline';

/** Size of the pieces `stream()` cuts answers into, so streaming is visible offline too. */
const STREAM_PIECE_LENGTH = 8;

function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}

function promptCharacters(request: LlmRequest): number {
  let characters = 0;
  for (const message of request.messages) {
    characters += contentTextOf(message.content).length;
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? [])
        characters += call.function.name.length + call.function.arguments.length;
    }
  }
  return characters;
}

function usageFor(request: LlmRequest, completionCharacters: number): Usage {
  const prompt = estimateTokens(promptCharacters(request));
  const completion = estimateTokens(completionCharacters);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('The offline model call was aborted.', 'AbortError');
}

function* pieces(text: string): Generator<string> {
  for (let start = 0; start < text.length; start += STREAM_PIECE_LENGTH) {
    yield text.slice(start, start + STREAM_PIECE_LENGTH);
  }
}

/**
 * The built-in deterministic demo model: no network, yet it answers through the same tool protocol
 * as a real model (memory tools, then `send_message`), so the whole agent loop runs without an upstream.
 */
export class OfflineProvider implements LlmProvider {
  readonly kind = OFFLINE_MODEL;
  readonly description = `${OFFLINE_MODEL} (built-in demo model, no network; set MEMGATE_LLM_BASE_URL for a real one)`;
  readonly offline = true;
  readonly models = [OFFLINE_MODEL];

  async generate(request: LlmRequest, options: LlmCallOptions = {}): Promise<LlmResult> {
    throwIfAborted(options.signal);
    return this.#answer(request);
  }

  async *stream(request: LlmRequest, options: LlmCallOptions = {}): AsyncIterable<LlmStreamEvent> {
    throwIfAborted(options.signal);
    const result = this.#answer(request);
    if (result.content !== null) {
      for (const delta of pieces(result.content)) {
        throwIfAborted(options.signal);
        yield { type: 'content', delta };
      }
    }
    for (const [index, call] of result.toolCalls.entries()) {
      yield { type: 'tool_call', index, id: call.id, name: call.function.name, argumentsDelta: '' };
      for (const argumentsDelta of pieces(call.function.arguments)) {
        throwIfAborted(options.signal);
        yield { type: 'tool_call', index, argumentsDelta };
      }
    }
    throwIfAborted(options.signal);
    yield { type: 'done', result };
  }

  #answer(request: LlmRequest): LlmResult {
    if (isSummaryRequest(request)) {
      const summary = offlineSummary(request);
      return this.#result(request, summary, [], summary.length);
    }
    const decision = decideOfflineReply(request);
    let toolCall: { name: string; arguments: Record<string, unknown> } | null = null;
    if (decision.kind === 'memory') toolCall = { name: decision.tool, arguments: decision.arguments };
    else if (request.tools?.some((tool) => tool.function.name === 'send_message')) {
      toolCall = { name: 'send_message', arguments: { message: decision.text } };
    }
    if (toolCall === null) {
      const content = decision.kind === 'say' ? decision.text : '';
      return this.#result(request, content, [], content.length);
    }
    const call: ToolCall = {
      // Ids only need to be unique; the conversation itself stays deterministic.
      id: `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      type: 'function',
      function: { name: toolCall.name, arguments: JSON.stringify(toolCall.arguments) },
    };
    return this.#result(request, null, [call], call.function.name.length + call.function.arguments.length);
  }

  #result(request: LlmRequest, content: string | null, toolCalls: ToolCall[], characters: number): LlmResult {
    return {
      model: OFFLINE_MODEL,
      content,
      toolCalls,
      finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      usage: usageFor(request, characters),
    };
  }
}
