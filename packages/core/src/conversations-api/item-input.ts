import { randomUUID } from 'node:crypto';
import { isReservedToolName } from '../agent/base-tools.ts';
import { withTokenCount } from '../agent/turn-messages.ts';
import { DEFAULT_MAX_ATTACHMENT_BYTES, userMessageContent } from '../dispatcher/user-content.ts';
import type { NewMessage, PendingToolCall, ToolCall } from '../domain/types.ts';
import { fieldError } from '../errors/validation.ts';
import type { ResponseInputItem } from '../responses/response-request.ts';

type Part = { type: string } & Record<string, unknown>;

/** What adding items writes: the messages (one step), the client calls they open and the ones they close. */
export interface ItemWrite {
  messages: NewMessage[];
  addPendingToolCalls: PendingToolCall[];
  resolvePendingToolCallIds: string[];
}

const NEW_MESSAGE_INSTEAD = JSON.stringify({
  status: 'Failed',
  message: 'The client sent a new message instead of a result.',
});

function newMessage(agentId: string, fields: Partial<NewMessage> & Pick<NewMessage, 'role' | 'content'>): NewMessage {
  return withTokenCount({
    id: `message-${randomUUID()}`,
    agentId,
    toolCalls: null,
    toolCallId: null,
    name: null,
    createdAt: new Date().toISOString(),
    ...fields,
  });
}

function textOf(content: string | Part[], loc: (string | number)[], types: string[]): string {
  if (typeof content === 'string') return content;
  return content
    .map((part, index) => {
      if (types.includes(part.type) && typeof part['text'] === 'string') return part['text'];
      throw fieldError(
        [...loc, index, 'type'],
        `Content parts of type "${part.type}" are not supported here; send ${types.join(' or ')} parts.`,
        'unsupported_content',
      );
    })
    .join('\n');
}

/** A user message's parts in Chat Completions' shape, so its images are checked and stored as a turn's are. */
function userParts(content: string | Part[], loc: (string | number)[]) {
  if (typeof content === 'string') return content;
  return content.map((part, index) => {
    if (part.type === 'input_text') return { type: 'text' as const, text: String(part['text']) };
    if (part.type === 'input_image' && typeof part['image_url'] === 'string') {
      const detail = part['detail'] === 'low' || part['detail'] === 'high' ? part['detail'] : 'auto';
      return { type: 'image_url' as const, image_url: { url: part['image_url'], detail } };
    }
    throw fieldError(
      [...loc, index, 'type'],
      part.type === 'input_image'
        ? 'Images are taken by image_url (an https or data: URL); file ids are not supported.'
        : `not supported: ${part.type} parts; send input_text and input_image parts.`,
      'unsupported_content',
    );
  });
}

/**
 * The items a client adds to a conversation (without a turn) as stored messages, checked against
 * the conversation's pending client calls; throws a 422 at the item for anything that cannot be
 * honoured, before anything is written:
 * - `message` items: user (text and images), system and developer (stored as system messages
 *   named by their role, so that they list as items again), assistant (`output_text`, stored as a
 *   plain answer);
 * - `function_call` items: client tool calls of an assistant message (consecutive ones are one
 *   message, as parallel calls); those no output in the same request answers stay pending;
 * - `function_call_output` items: answer a pending call, or a call of the same request; any other
 *   is a 422. As on Chat Completions, once some result is sent every pending call needs one, and a
 *   message sent while calls are pending closes them with a failed result;
 * - anything else (`item_reference`, `reasoning`, hosted tool calls) is a 422.
 */
export function itemWrite(
  agentId: string,
  items: ResponseInputItem[],
  pending: PendingToolCall[],
  maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES,
  field = 'items',
): ItemWrite {
  const messages: NewMessage[] = [];
  const open = new Map(pending.map((call) => [call.toolCallId, call]));
  const opened = new Map<string, PendingToolCall>();
  const resolved: string[] = [];
  let answeredPending = false;

  const closeOpen = () => {
    for (const call of open.values()) {
      messages.push(
        newMessage(agentId, {
          role: 'tool',
          content: NEW_MESSAGE_INSTEAD,
          toolCallId: call.toolCallId,
          name: call.name,
        }),
      );
      resolved.push(call.toolCallId);
    }
    open.clear();
  };
  const checkOpened = (loc: (string | number)[]) => {
    if (opened.size > 0) {
      throw fieldError(
        loc,
        `The function calls ${[...opened.keys()].join(', ')} need their function_call_output items before another message.`,
        'missing_tool_results',
      );
    }
  };

  items.forEach((item, index) => {
    const loc = ['body', field, index];
    const type = item.type ?? 'message';
    if (type === 'message') {
      const message = item as { role: string; content: string | Part[] };
      checkOpened(loc);
      if (answeredPending && open.size > 0) {
        throw fieldError(
          loc,
          `Missing function_call_output items for the pending calls: ${[...open.keys()].join(', ')}.`,
        );
      }
      closeOpen();
      if (message.role === 'user') {
        const { text, attachments } = userMessageContent(
          userParts(message.content, [...loc, 'content']) as never,
          [...loc, 'content'],
          maxAttachmentBytes,
        );
        messages.push(
          newMessage(agentId, { role: 'user', content: text, ...(attachments.length > 0 && { attachments }) }),
        );
      } else if (message.role === 'assistant') {
        const text = textOf(message.content, [...loc, 'content'], ['output_text', 'input_text']);
        messages.push(newMessage(agentId, { role: 'assistant', content: text }));
      } else {
        const text = textOf(message.content, [...loc, 'content'], ['input_text']);
        messages.push(newMessage(agentId, { role: 'system', content: text, name: message.role }));
      }
      return;
    }
    if (type === 'function_call') {
      const call = item as { call_id: string; name: string; arguments: string };
      if (isReservedToolName(call.name)) {
        throw fieldError([...loc, 'name'], `The tool name "${call.name}" is reserved for the agent's own tools.`);
      }
      if (open.has(call.call_id) || opened.has(call.call_id)) {
        throw fieldError([...loc, 'call_id'], `A function call with call_id "${call.call_id}" is already pending.`);
      }
      if (answeredPending && open.size > 0) {
        throw fieldError(
          loc,
          `Missing function_call_output items for the pending calls: ${[...open.keys()].join(', ')}.`,
        );
      }
      closeOpen();
      const toolCall: ToolCall = {
        id: call.call_id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      };
      const last = messages.at(-1);
      // Consecutive calls are the parallel calls of one assistant message, as in Chat Completions.
      if (last?.role === 'assistant' && last.toolCalls && [...opened.values()].length > 0) {
        last.toolCalls.push(toolCall);
        Object.assign(last, withTokenCount({ ...last, tokenCount: undefined }));
      } else {
        messages.push(newMessage(agentId, { role: 'assistant', content: null, toolCalls: [toolCall] }));
      }
      opened.set(call.call_id, {
        agentId,
        toolCallId: call.call_id,
        name: call.name,
        arguments: call.arguments,
        style: 'tool',
        createdAt: new Date().toISOString(),
      });
      return;
    }
    if (type === 'function_call_output') {
      const output = item as { call_id: string; output: string | Part[] };
      const content = textOf(output.output, [...loc, 'output'], ['input_text', 'output_text']);
      const call = opened.get(output.call_id) ?? open.get(output.call_id);
      if (!call) {
        throw fieldError(
          [...loc, 'call_id'],
          `There is no pending function call with call_id "${output.call_id}" in this conversation.`,
          'no_pending_call',
        );
      }
      if (opened.delete(call.toolCallId) === false) {
        open.delete(call.toolCallId);
        resolved.push(call.toolCallId);
        answeredPending = true;
      }
      messages.push(newMessage(agentId, { role: 'tool', content, toolCallId: call.toolCallId, name: call.name }));
      return;
    }
    throw fieldError(
      [...loc, 'type'],
      `Items of type "${type}" cannot be added to a conversation: add message, function_call and function_call_output items.`,
      'unsupported_item',
    );
  });
  if (answeredPending && open.size > 0) {
    throw fieldError(
      ['body', field],
      `Missing function_call_output items for the pending calls: ${[...open.keys()].join(', ')}.`,
    );
  }
  return { messages, addPendingToolCalls: [...opened.values()], resolvePendingToolCallIds: resolved };
}
