import type { ToolCall, Usage } from '../domain/types.ts';
import type { StopReason } from '../limits/limit-types.ts';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessage,
  FinishReason,
} from '../schemas/chat-response.ts';

/**
 * Builds the `chat.completion` of a turn from its streamed chunks, incrementally, so the channel
 * can end a stream with the whole reply without running the turn twice or keeping every chunk.
 * Mirrors what the non-streaming path returns for the same turn.
 */
export class CompletionAssembler {
  private identity: { id: string; created: number; model: string } | null = null;
  private content: string | null = null;
  private refusal: string | null = null;
  private readonly toolCalls: ToolCall[] = [];
  private functionCall: { name: string; arguments: string } | null = null;
  private finishReason: FinishReason | null = null;
  private usage: Usage | null = null;
  private stopReason: StopReason | null = null;

  add(chunk: ChatCompletionChunk): void {
    this.identity ??= { id: chunk.id, created: chunk.created, model: chunk.model };
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) return;
    const { delta } = choice;
    // The role chunk's empty content only opens the stream; it does not make the reply "".
    if (typeof delta.content === 'string' && (delta.content !== '' || delta.role === undefined)) {
      this.content = (this.content ?? '') + delta.content;
    }
    if (typeof delta.refusal === 'string') this.refusal = (this.refusal ?? '') + delta.refusal;
    for (const call of delta.tool_calls ?? []) {
      const existing = this.toolCalls[call.index] ?? {
        id: '',
        type: 'function',
        function: { name: '', arguments: '' },
      };
      this.toolCalls[call.index] = existing;
      if (call.id) existing.id = call.id;
      if (call.function?.name) existing.function.name += call.function.name;
      if (call.function?.arguments) existing.function.arguments += call.function.arguments;
    }
    if (delta.function_call) {
      this.functionCall ??= { name: '', arguments: '' };
      this.functionCall.name += delta.function_call.name ?? '';
      this.functionCall.arguments += delta.function_call.arguments ?? '';
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    if (choice.stop_reason) this.stopReason = choice.stop_reason;
  }

  /** The completion, or null while the stream has not reported its finish reason and usage. */
  completion(): ChatCompletion | null {
    if (!this.identity || !this.finishReason || !this.usage) return null;
    const message: ChatCompletionMessage = { role: 'assistant', content: this.content, refusal: this.refusal };
    const toolCalls = this.toolCalls.filter((call): call is ToolCall => call !== undefined);
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    if (this.functionCall) message.function_call = this.functionCall;
    return {
      id: this.identity.id,
      object: 'chat.completion',
      created: this.identity.created,
      model: this.identity.model,
      system_fingerprint: null,
      choices: [
        {
          index: 0,
          message,
          finish_reason: this.finishReason,
          logprobs: null,
          ...(this.stopReason && { stop_reason: this.stopReason }),
        },
      ],
      usage: this.usage,
    };
  }
}

/** The `chat.completion` a finished chunk sequence adds up to (null if it did not finish). */
export function assembleCompletion(chunks: Iterable<ChatCompletionChunk>): ChatCompletion | null {
  const assembler = new CompletionAssembler();
  for (const chunk of chunks) assembler.add(chunk);
  return assembler.completion();
}
