import { randomUUID } from 'node:crypto';
import { fieldError } from '../errors/validation.ts';
import type { ResponseInputItem, ResponseRequest } from './response-request.ts';

type ChatMessage = Record<string, unknown> & { role: string };
type Part = { type: string } & Record<string, unknown>;

const HOSTED_TOOL_REASON =
  'memgate runs function tools only, as client tools returned in function_call items; hosted tools ' +
  '(web search, file search, code interpreter, computer use, MCP, image generation…) are not available.';

/** A new OpenAI-style item id with its prefix (`msg_…`, `fc_…`). */
export function itemId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

/** The request's input as a list of items (a string is one user message). */
export function inputItemsOf(input: ResponseRequest['input']): ResponseInputItem[] {
  return typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : input;
}

/**
 * The input items as OpenAI stores them for `GET /v1/responses/{id}/input_items`: each with an id,
 * messages with their content as parts.
 */
export function storedInputItems(items: ResponseInputItem[]): Record<string, unknown>[] {
  return items.map((item) => {
    if (item.type === undefined || item.type === 'message') {
      const message = item as { role: string; content: unknown; id?: string | null };
      const content =
        typeof message.content === 'string'
          ? [{ type: message.role === 'assistant' ? 'output_text' : 'input_text', text: message.content }]
          : message.content;
      return { id: message.id ?? itemId('msg'), type: 'message', role: message.role, content, status: 'completed' };
    }
    const prefix = item.type === 'function_call' ? 'fc' : 'fco';
    return { ...item, id: (item as { id?: string | null }).id ?? itemId(prefix), status: 'completed' };
  });
}

function textOfParts(parts: Part[], loc: (string | number)[]): string {
  return parts
    .map((part, index) => {
      if (typeof part['text'] === 'string') return part['text'];
      if (part.type === 'refusal' && typeof part['refusal'] === 'string') return part['refusal'];
      throw fieldError(
        [...loc, index, 'type'],
        part.type === 'input_image'
          ? 'not supported: input_image parts are only allowed in user messages, as in OpenAI’s API.'
          : `not supported: ${part.type} parts here; send text.`,
      );
    })
    .join('\n');
}

function userContent(content: string | Part[], loc: (string | number)[]): unknown {
  if (typeof content === 'string') return content;
  return content.map((part, index) => {
    if (part.type === 'input_text') return { type: 'text', text: part['text'] };
    if (part.type === 'input_image') {
      if (typeof part['image_url'] !== 'string') {
        throw fieldError(
          [...loc, index, 'file_id'],
          'Images are taken by image_url (an https or data: URL); file ids are not supported.',
        );
      }
      const detail = part['detail'] === 'original' ? undefined : part['detail'];
      return {
        type: 'image_url',
        image_url: { url: part['image_url'], ...(typeof detail === 'string' && { detail }) },
      };
    }
    throw fieldError(
      [...loc, index, 'type'],
      `not supported: ${part.type} parts; send input_text and input_image parts.`,
      'unsupported_content',
    );
  });
}

/**
 * The input items as Chat Completions messages, so that the same input gives the same turn on
 * both APIs: instructions are a system message of this turn, function_call items are the
 * assistant's tool calls and function_call_output items answer them as tool messages.
 */
export function chatMessagesOf(request: ResponseRequest, items: ResponseInputItem[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  items.forEach((item, index) => {
    const loc = ['body', 'input', index];
    if (item.type === undefined || item.type === 'message') {
      const message = item as { role: string; content: string | Part[] };
      if (message.role === 'user') {
        messages.push({ role: 'user', content: userContent(message.content, [...loc, 'content']) });
      } else {
        const content =
          typeof message.content === 'string' ? message.content : textOfParts(message.content, [...loc, 'content']);
        messages.push({ role: message.role, content });
      }
      return;
    }
    if (item.type === 'function_call') {
      const call = item as { call_id: string; name: string; arguments: string };
      const toolCall = { id: call.call_id, type: 'function', function: { name: call.name, arguments: call.arguments } };
      const last = messages.at(-1);
      // The calls of one step follow its message as separate items; Chat Completions keeps them on it.
      if (last?.role === 'assistant') {
        last['tool_calls'] = [...((last['tool_calls'] as unknown[] | undefined) ?? []), toolCall];
      } else {
        messages.push({ role: 'assistant', content: null, tool_calls: [toolCall] });
      }
      return;
    }
    if (item.type === 'function_call_output') {
      const output = item as { call_id: string; output: string | Part[] };
      const content =
        typeof output.output === 'string' ? output.output : textOfParts(output.output, [...loc, 'output']);
      messages.push({ role: 'tool', tool_call_id: output.call_id, content });
      return;
    }
    if (item.type === 'item_reference') {
      // A client holding stored items (the AI SDK with store on) names an earlier output item
      // instead of resending it. The history is memgate's already, so the reference only marks
      // where the new input starts, as an assistant message does on Chat Completions.
      messages.push({ role: 'assistant', content: null });
      return;
    }
    throw fieldError(
      [...loc, 'type'],
      `Input items of type "${item.type}" are not supported; send message, function_call, function_call_output and item_reference items.`,
      'unsupported_item',
    );
  });
  return messages;
}

/** The request's function tools in Chat Completions' shape; any other tool type is a 422 with the reason. */
export function chatToolsOf(request: ResponseRequest): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (request.tools?.length) {
    fields['tools'] = request.tools.map((tool, index) => {
      if (tool.type !== 'function') {
        throw fieldError(
          ['body', 'tools', index, 'type'],
          `Tools of type "${tool.type}" are not supported: ${HOSTED_TOOL_REASON}`,
          'unsupported_tool',
        );
      }
      const { name, description, parameters, strict } = tool as {
        name: string;
        description?: string | null;
        parameters?: unknown;
        strict?: boolean | null;
      };
      const definition = {
        name,
        ...(description && { description }),
        ...(parameters != null && { parameters }),
        ...(typeof strict === 'boolean' && { strict }),
      };
      return { type: 'function', function: definition };
    });
  }
  const choice = request.tool_choice;
  if (typeof choice === 'string') fields['tool_choice'] = choice;
  else if (choice) {
    if (choice.type !== 'function' || typeof (choice as { name?: unknown }).name !== 'string') {
      throw fieldError(
        ['body', 'tool_choice', 'type'],
        `tool_choice of type "${choice.type}" is not supported: ${HOSTED_TOOL_REASON}`,
        'unsupported_tool',
      );
    }
    fields['tool_choice'] = { type: 'function', function: { name: (choice as { name: string }).name } };
  }
  if (typeof request.parallel_tool_calls === 'boolean') fields['parallel_tool_calls'] = request.parallel_tool_calls;
  return fields;
}

/** `text.format` as Chat Completions' `response_format` (structured output). */
export function chatResponseFormatOf(request: ResponseRequest): Record<string, unknown> | undefined {
  const format = request.text?.format;
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  const { name, schema, description, strict } = format;
  return {
    type: 'json_schema',
    json_schema: { name, schema, ...(description && { description }), ...(typeof strict === 'boolean' && { strict }) },
  };
}
