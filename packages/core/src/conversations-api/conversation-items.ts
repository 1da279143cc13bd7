import { isReservedToolName, SEND_MESSAGE } from '../agent/base-tools.ts';
import type { Attachment, StoredMessage, ToolCall } from '../domain/types.ts';
import { outputItemsOf, type ResponseOutputItem } from '../responses/response-object.ts';

type InputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; file_id: null; detail: 'auto' | 'low' | 'high' };

/** A user, system or developer message as the Conversations API lists it. */
export interface InputMessageItem {
  id: string;
  type: 'message';
  status: 'completed';
  role: 'user' | 'system' | 'developer';
  content: InputContent[];
}

export interface FunctionCallOutputItem {
  id: string;
  type: 'function_call_output';
  status: 'completed';
  call_id: string;
  output: string;
}

/** An item of a conversation: what the Responses API returns as output, and the input it took. */
export type ConversationItem = InputMessageItem | ResponseOutputItem | FunctionCallOutputItem;

/**
 * The `name` a system message added through the Conversations API is stored with: it tells them
 * from the agent loop's own system alerts (which are memgate's, like its memory tool calls, and
 * are not items), and keeps a `developer` message's role.
 */
export const ADDED_SYSTEM_NAMES = new Set(['system', 'developer']);

/**
 * Item ids name the stored message they come from, so an item is found (and deleted) by its id:
 * `msg_<message id>` for a message, `fc_<n>_<message id>` for the n-th client call of an
 * assistant message, `fco_<message id>` for a tool result.
 */
export const itemIds = {
  message: (messageId: string) => `msg_${messageId}`,
  call: (messageId: string, index: number) => `fc_${index}_${messageId}`,
  output: (messageId: string) => `fco_${messageId}`,
};

/** The stored message an item id names, or null when the id is not one of memgate's item ids. */
export function messageIdOfItem(itemId: string): string | null {
  const match = /^(?:msg_|fco_|fc_\d+_)(.+)$/.exec(itemId);
  return match?.[1] ?? null;
}

/** A client tool call (not one of the agent's own tools, nor send_message). */
export function isClientCall(call: ToolCall): boolean {
  return !isReservedToolName(call.function.name);
}

function sentText(call: ToolCall): string | null {
  try {
    const parsed: unknown = JSON.parse(call.function.arguments);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const message: unknown = Reflect.get(parsed, 'message');
    if (message === undefined || message === null) return null;
    // A structured turn's send_message carries the reply as JSON.
    return typeof message === 'string' ? message : JSON.stringify(message);
  } catch {
    return null;
  }
}

/**
 * What the client saw of a stored assistant message, as a turn's reply shows it: the text it sent
 * with send_message (several joined by a blank line), or its content when it made no tool call (a
 * plain answer; with tool calls the content is the agent's inner monologue), and its client tool
 * calls. The agent's memory tool calls are memgate's own and not shown.
 */
export function visibleAssistant(message: StoredMessage): { content: string | null; tool_calls: ToolCall[] } {
  const calls = message.toolCalls ?? [];
  const sends = calls.filter((call) => call.function.name === SEND_MESSAGE).map(sentText);
  const texts = sends.filter((text): text is string => text !== null);
  const content = calls.length === 0 ? message.content : texts.length > 0 ? texts.join('\n\n') : null;
  return { content, tool_calls: calls.filter(isClientCall) };
}

function imageContent(attachment: Attachment): InputContent {
  const url =
    attachment.url ??
    `data:${attachment.mediaType ?? 'application/octet-stream'};base64,${Buffer.from(attachment.data ?? new Uint8Array()).toString('base64')}`;
  return { type: 'input_image', image_url: url, file_id: null, detail: attachment.detail ?? 'auto' };
}

/**
 * A stored message as the Conversations API's items, in order (none for what is memgate's own:
 * memory tool calls and their results, system alerts, an assistant step that only used memory):
 * - a user message: a `message` item with `input_text` (and `input_image` for its images);
 * - a system or developer message added through the Conversations API: a `message` item;
 * - an assistant message: the Responses API's output items for it (`outputItemsOf`): a `message`
 *   with `output_text`, then a `function_call` per client tool call;
 * - a tool result answering a client call: a `function_call_output` item.
 */
export function itemsOfMessage(message: StoredMessage): ConversationItem[] {
  if (message.role === 'user') {
    const content: InputContent[] = [];
    if (message.content) content.push({ type: 'input_text', text: message.content });
    for (const attachment of message.attachments ?? []) content.push(imageContent(attachment));
    return [{ id: itemIds.message(message.id), type: 'message', status: 'completed', role: 'user', content }];
  }
  if (message.role === 'system') {
    if (!message.name || !ADDED_SYSTEM_NAMES.has(message.name)) return [];
    return [
      {
        id: itemIds.message(message.id),
        type: 'message',
        status: 'completed',
        role: message.name as 'system' | 'developer',
        content: [{ type: 'input_text', text: message.content ?? '' }],
      },
    ];
  }
  if (message.role === 'assistant') {
    return outputItemsOf(visibleAssistant(message), {
      message: () => itemIds.message(message.id),
      call: (index) => itemIds.call(message.id, index),
    });
  }
  if (message.toolCallId && message.name && !isReservedToolName(message.name)) {
    return [
      {
        id: itemIds.output(message.id),
        type: 'function_call_output',
        status: 'completed',
        call_id: message.toolCallId,
        output: message.content ?? '',
      },
    ];
  }
  return [];
}
