import type { RecordedRequest, Responder, ScriptedResponse } from '@memgate/testkit';
import { sendMessage } from '@memgate/testkit';

/** The upstream turn that calls a tool the client offered (memgate hands it to the client). */
export function clientToolCall(name: string, args: Record<string, unknown>): ScriptedResponse {
  return { toolCalls: [{ name, arguments: args }] };
}

/**
 * A "model" that answers `value` as JSON the way the request asks for it, whichever mechanism the
 * server uses for structured output: the upstream's own `response_format` (plain JSON content), a
 * `send_message` whose `message` is typed by the schema (the object itself), or a plain
 * `send_message` (the JSON text).
 */
export function answerJson(value: unknown): Responder {
  return (request) => {
    if (request.body['response_format'] !== undefined) return { content: JSON.stringify(value) };
    return messageIsTyped(request)
      ? { toolCalls: [{ name: 'send_message', arguments: { message: value } }] }
      : sendMessage(JSON.stringify(value));
  };
}

function messageIsTyped(request: RecordedRequest): boolean {
  const send = request.body.tools?.find((tool) => tool.function.name === 'send_message');
  const parameters = send?.function.parameters as { properties?: { message?: { type?: unknown } } } | undefined;
  const type = parameters?.properties?.message?.type;
  return type !== undefined && type !== 'string';
}

/** The text of the last message the upstream received with this role. */
export function lastUpstreamMessage(request: RecordedRequest | undefined, role: string): unknown {
  return request?.body.messages.findLast((message) => message.role === role)?.content;
}
