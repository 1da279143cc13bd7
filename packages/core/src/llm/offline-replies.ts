import { contentTextOf, imageCountOf } from './message-text.ts';
import { findKnownName, isNameQuestion, nameFromMemoryContent, parseNameStatement } from './offline-names.ts';
import type { LlmMessage, LlmRequest } from './provider.ts';

/** What the offline model does next: call a memory tool, or say something. */
export type OfflineDecision =
  | { kind: 'memory'; tool: 'core_memory_append' | 'core_memory_replace'; arguments: Record<string, unknown> }
  | { kind: 'say'; text: string };

type ToolMessage = Extract<LlmMessage, { role: 'tool' }>;
const MEMORY_TOOLS = new Set(['core_memory_append', 'core_memory_replace']);

function offers(request: LlmRequest, tool: string): boolean {
  return request.tools?.some((definition) => definition.function.name === tool) ?? false;
}

function systemPrompt(request: LlmRequest): string {
  return request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n');
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The assistant tool call a tool message answers. */
function callAnswered(messages: LlmMessage[], result: ToolMessage): { name: string; arguments: string } | null {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role !== 'assistant') continue;
    const call = message.tool_calls?.find((candidate) => candidate.id === result.tool_call_id);
    if (call) return call.function;
  }
  return null;
}

function rememberName(request: LlmRequest, name: string): OfflineDecision {
  const known = findKnownName(systemPrompt(request));
  if (known?.name === name) return { kind: 'say', text: `Nice to meet you, ${name}! I'll remember that.` };
  const content = `Name: ${name}`;
  if (known && offers(request, 'core_memory_replace')) {
    return {
      kind: 'memory',
      tool: 'core_memory_replace',
      arguments: { label: 'human', old_content: known.line, new_content: content, request_heartbeat: true },
    };
  }
  if (offers(request, 'core_memory_append')) {
    return {
      kind: 'memory',
      tool: 'core_memory_append',
      arguments: { label: 'human', content, request_heartbeat: true },
    };
  }
  return { kind: 'say', text: `Nice to meet you, ${name}!` };
}

function answerToolResults(request: LlmRequest, results: ToolMessage[]): OfflineDecision {
  const last = results[results.length - 1]!;
  const call = callAnswered(request.messages, last);
  if (call && MEMORY_TOOLS.has(call.name)) {
    const callArguments = parseJsonObject(call.arguments) ?? {};
    const name = nameFromMemoryContent(callArguments['content'] ?? callArguments['new_content']);
    const outcome = parseJsonObject(last.content);
    if (outcome?.['status'] === 'Failed') {
      return { kind: 'say', text: `Sorry, I could not save that: ${String(outcome['message'] ?? 'unknown error')}` };
    }
    return { kind: 'say', text: name ? `Nice to meet you, ${name}! I'll remember that.` : 'Noted.' };
  }
  return { kind: 'say', text: `Tool result received: ${results.map((result) => result.content).join('\n')}` };
}

/**
 * Decides the offline model's next step from the conversation: store a name the user gives, recall
 * it from the memory rendered in the system prompt, acknowledge tool results, or echo.
 */
export function decideOfflineReply(request: LlmRequest): OfflineDecision {
  const messages = request.messages;
  const trailingResults: ToolMessage[] = [];
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role !== 'tool') break;
    trailingResults.unshift(message);
  }
  if (trailingResults.length > 0) return answerToolResults(request, trailingResults);

  const lastUser = messages.findLast((message) => message.role === 'user');
  const text = contentTextOf(lastUser?.content ?? null);
  const images = imageCountOf(lastUser?.content ?? null);
  if (images > 0) {
    // A demo model without vision says so rather than pretending it saw something.
    const seen = images === 1 ? 'an image' : `${images} images`;
    const echo = text ? `Echo: ${text} ` : '';
    return { kind: 'say', text: `${echo}(You sent ${seen}; the offline demo model cannot see images.)` };
  }
  const name = parseNameStatement(text);
  if (name !== null) return rememberName(request, name);
  if (isNameQuestion(text)) {
    const known = findKnownName(systemPrompt(request));
    return { kind: 'say', text: known ? `Your name is ${known.name}.` : "I don't know your name yet." };
  }
  return { kind: 'say', text: `Echo: ${text}` };
}
