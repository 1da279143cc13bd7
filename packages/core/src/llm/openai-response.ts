import { randomUUID } from 'node:crypto';
import type { ToolCall, Usage } from '../domain/types.ts';
import { clientSafe, upstreamFailure } from './openai-errors.ts';
import type { LlmResult } from './provider.ts';

// Upstream bodies are parsed as untrusted JSON: OpenAI-compatible servers vary, and a garbled answer
// must become a clean UPSTREAM_ERROR rather than a TypeError deep in the agent loop.

type JsonObject = Record<string, unknown>;

/** Type guard for a JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A fresh tool call id, for servers (older Ollama, some llama.cpp builds) that send none. */
export function newToolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

/** Arguments as a JSON string: some servers send an object, or nothing for a parameterless call. */
export function normaliseArguments(value: unknown): string {
  if (typeof value === 'string') return value.trim() === '' ? '{}' : value;
  return value === undefined || value === null ? '{}' : JSON.stringify(value);
}

/** Token counts as reported; zeros only when the upstream sent none. */
export function normaliseUsage(value: unknown): Usage | null {
  if (!isObject(value)) return null;
  const count = (field: unknown): number => (typeof field === 'number' && Number.isFinite(field) ? field : 0);
  const prompt = count(value['prompt_tokens']);
  const completion = count(value['completion_tokens']);
  const total = typeof value['total_tokens'] === 'number' ? count(value['total_tokens']) : prompt + completion;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
  const details = value['prompt_tokens_details'];
  if (isObject(details) && typeof details['cached_tokens'] === 'number') {
    usage.prompt_tokens_details = { cached_tokens: count(details['cached_tokens']) };
  }
  return usage;
}

/** Zero usage, for upstreams that report none; a fresh object, since callers may sum into it. */
export function zeroUsage(): Usage {
  return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
}

/** Throws the upstream's own error when a 200 body or stream chunk carries one (some servers do). */
export function throwIfErrorBody(body: JsonObject): void {
  const error = body['error'];
  if (error === undefined || error === null) return;
  const message = isObject(error) && typeof error['message'] === 'string' ? error['message'] : JSON.stringify(error);
  const code = isObject(error) ? (error['code'] ?? error['type']) : null;
  throw upstreamFailure(`The upstream LLM reported an error: ${clientSafe(message)}`, code, { logDetail: message });
}

function toToolCall(value: unknown): ToolCall | null {
  if (!isObject(value) || !isObject(value['function'])) return null;
  const fn = value['function'];
  if (typeof fn['name'] !== 'string' || fn['name'] === '') return null;
  const id = typeof value['id'] === 'string' && value['id'] !== '' ? value['id'] : newToolCallId();
  return { id, type: 'function', function: { name: fn['name'], arguments: normaliseArguments(fn['arguments']) } };
}

/** Message content as text: a few servers answer with content parts instead of a string. */
function toContent(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return null;
  const texts = value.map((part) => (isObject(part) && typeof part['text'] === 'string' ? part['text'] : ''));
  return texts.join('');
}

/** Parses a non-streaming Chat Completions body into an LlmResult. */
export function parseCompletion(body: unknown, requestedModel: string): LlmResult {
  if (!isObject(body)) {
    // An HTML page from a proxy may name hosts: its text goes to the log only.
    const sample = typeof body === 'string' ? body.slice(0, 200) : typeof body;
    throw upstreamFailure('The upstream LLM returned an invalid response: not a JSON object.', null, {
      logDetail: `body: ${sample}`,
    });
  }
  throwIfErrorBody(body);
  const choices = body['choices'];
  const choice: unknown = Array.isArray(choices) ? choices[0] : undefined;
  if (!isObject(choice) || !isObject(choice['message'])) {
    throw upstreamFailure('The upstream LLM sent a response with no choices.', null);
  }
  const message = choice['message'];
  const rawToolCalls = Array.isArray(message['tool_calls']) ? message['tool_calls'] : [];
  const toolCalls = rawToolCalls.map(toToolCall).filter((call): call is ToolCall => call !== null);
  const finishReason = choice['finish_reason'];
  return {
    model: typeof body['model'] === 'string' && body['model'] !== '' ? body['model'] : requestedModel,
    content: toContent(message['content']),
    ...(typeof message['refusal'] === 'string' && message['refusal'] !== '' ? { refusal: message['refusal'] } : {}),
    toolCalls,
    finishReason: typeof finishReason === 'string' ? finishReason : toolCalls.length > 0 ? 'tool_calls' : 'stop',
    usage: normaliseUsage(body['usage']) ?? zeroUsage(),
  };
}
