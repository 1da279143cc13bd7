import type { LlmContentPart, LlmMessage, LlmResult, ToolCall } from '@memgate/core';

/*
 * Messages in the shape of the GenAI semantic conventions' `gen_ai.input.messages` and
 * `gen_ai.output.messages` (role + typed parts), as JSON. Only called when content is recorded.
 */

type Part =
  | { type: 'text'; content: string }
  | { type: 'refusal'; content: string }
  | { type: 'uri'; modality: 'image'; uri: string }
  | { type: 'blob'; modality: 'image'; mime_type: string | null; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string; response: string };

interface GenAiMessage {
  role: string;
  parts: Part[];
  finish_reason?: string;
}

/** `gen_ai.input.messages`: what was sent upstream. */
export function inputMessagesJson(messages: readonly LlmMessage[]): string {
  return JSON.stringify(messages.map(inputMessage));
}

/** `gen_ai.output.messages`: the upstream's answer. */
export function outputMessagesJson(response: Pick<LlmResult, 'content' | 'refusal' | 'toolCalls' | 'finishReason'>) {
  const parts: Part[] = [];
  if (response.content) parts.push({ type: 'text', content: response.content });
  if (response.refusal) parts.push({ type: 'refusal', content: response.refusal });
  parts.push(...response.toolCalls.map(toolCallPart));
  const message: GenAiMessage = { role: 'assistant', parts, finish_reason: response.finishReason };
  return JSON.stringify([message]);
}

function inputMessage(message: LlmMessage): GenAiMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', parts: [{ type: 'text', content: message.content }] };
    case 'user':
      return {
        role: 'user',
        parts:
          typeof message.content === 'string'
            ? [{ type: 'text', content: message.content }]
            : message.content.map(userPart),
      };
    case 'assistant': {
      const parts: Part[] = message.content ? [{ type: 'text', content: message.content }] : [];
      parts.push(...(message.tool_calls ?? []).map(toolCallPart));
      return { role: 'assistant', parts };
    }
    case 'tool':
      return {
        role: 'tool',
        parts: [{ type: 'tool_call_response', id: message.tool_call_id, response: message.content }],
      };
  }
}

function userPart(part: LlmContentPart): Part {
  if (part.type === 'text') return { type: 'text', content: part.text };
  const { url } = part.image_url;
  if (!url.startsWith('data:')) return { type: 'uri', modality: 'image', uri: url };
  // An inline image can be megabytes of base64: a span names its type and size, not its bytes.
  const mimeType = /^data:([^;,]+)/.exec(url)?.[1] ?? null;
  return { type: 'blob', modality: 'image', mime_type: mimeType, content: `[${url.length} characters omitted]` };
}

function toolCallPart(call: ToolCall): Part {
  return {
    type: 'tool_call',
    id: call.id,
    name: call.function.name,
    arguments: parsedArguments(call.function.arguments),
  };
}

function parsedArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
