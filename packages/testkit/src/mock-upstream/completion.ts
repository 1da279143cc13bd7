import { randomBytes } from 'node:crypto';
import type { ChatRequestBody, ChatRequestMessage, ScriptedResponse, UsageCounts } from './types.ts';

/** A scripted turn resolved into everything both response encodings need. */
export interface ResolvedTurn {
  id: string;
  created: number;
  model: string;
  content: string | null;
  refusal: string | null;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: string;
  usage: UsageCounts;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An OpenAI-looking id such as `call_Xy3…` or `chatcmpl-…`. */
export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let suffix = '';
  for (const byte of bytes) suffix += ID_ALPHABET[byte % ID_ALPHABET.length];
  return prefix + suffix;
}

/** Deterministic token estimate: characters / 4 rounded up, at least 1. */
export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** The text of a message's content, whether a string or an array of content parts. */
export function messageText(message: ChatRequestMessage | undefined): string {
  const content: unknown = message?.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}

/**
 * Prompt tokens of a request: its message text plus the assistant tool calls' names and arguments
 * (a MemGPT history is mostly tool calls, so ignoring them would make the count flat), / 4 rounded up.
 */
export function countPromptTokens(body: ChatRequestBody): number {
  let text = '';
  for (const message of body.messages) {
    text += messageText(message);
    const toolCalls: unknown = message.tool_calls;
    if (!Array.isArray(toolCalls)) continue;
    for (const call of toolCalls) {
      const fn: unknown = typeof call === 'object' && call !== null ? Reflect.get(call, 'function') : undefined;
      if (typeof fn !== 'object' || fn === null) continue;
      const name: unknown = Reflect.get(fn, 'name');
      const args: unknown = Reflect.get(fn, 'arguments');
      text += (typeof name === 'string' ? name : '') + (typeof args === 'string' ? args : '');
    }
  }
  return countTokens(text);
}

/** Resolves a scripted assistant turn: ids, JSON-encoded arguments, finish reason and usage. */
export function resolveTurn(body: ChatRequestBody, scripted: ScriptedResponse): ResolvedTurn {
  const toolCalls = (scripted.toolCalls ?? []).map((call) => ({
    id: call.id ?? randomId('call_'),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));
  const refusal = scripted.refusal ?? null;
  const content = scripted.content ?? (toolCalls.length > 0 || refusal !== null ? null : '');
  const output = (content ?? '') + (refusal ?? '') + toolCalls.map((call) => call.name + call.arguments).join('');
  const promptTokens = scripted.usage?.prompt_tokens ?? countPromptTokens(body);
  const completionTokens = scripted.usage?.completion_tokens ?? countTokens(output);
  return {
    id: randomId('chatcmpl-'),
    created: Math.floor(Date.now() / 1000),
    model: typeof body.model === 'string' ? body.model : 'mock-model',
    content,
    refusal,
    toolCalls,
    finishReason: scripted.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: scripted.usage?.total_tokens ?? promptTokens + completionTokens,
      ...(scripted.usage?.prompt_tokens_details && { prompt_tokens_details: scripted.usage.prompt_tokens_details }),
    },
  };
}

/** The non-streaming `chat.completion` body, field for field as OpenAI sends it. */
export function completionBody(turn: ResolvedTurn): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: turn.content, refusal: turn.refusal };
  if (turn.toolCalls.length > 0) {
    message['tool_calls'] = turn.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: turn.id,
    object: 'chat.completion',
    created: turn.created,
    model: turn.model,
    system_fingerprint: 'fp_mock',
    choices: [{ index: 0, message, logprobs: null, finish_reason: turn.finishReason }],
    usage: turn.usage,
  };
}
