import { messageText } from './completion.ts';
import type { Responder, ScriptedResponse } from './types.ts';

/** Options of {@link sendMessage}: any response option, plus the heartbeat flag. */
export type SendMessageOptions = Omit<ScriptedResponse, 'toolCalls' | 'error' | 'garbled' | 'hang'> & {
  /** The `request_heartbeat` argument (default `false`); `null` leaves the argument out. */
  requestHeartbeat?: boolean | null;
};

/**
 * One assistant turn that calls `send_message({ message: text, request_heartbeat: false })`.
 * `opts.content` becomes the turn's text content (the inner monologue, in MemGPT terms).
 */
export function sendMessage(text: string, opts: SendMessageOptions = {}): ScriptedResponse {
  const { requestHeartbeat = false, ...rest } = opts;
  const args: Record<string, unknown> = { message: text };
  if (requestHeartbeat !== null) args['request_heartbeat'] = requestHeartbeat;
  return { ...rest, toolCalls: [{ name: 'send_message', arguments: args }] };
}

/**
 * Answers every request through `send_message`: `Echo: <last user message>`, or, when the last
 * message is a tool result, `Tool said: <its content>` — so an agent loop ends each turn at once.
 */
export const echoResponder: Responder = (request) => {
  const messages = request.body.messages;
  const last = messages.at(-1);
  if (last?.role === 'tool') return sendMessage(`Tool said: ${messageText(last)}`);
  const lastUser = messages.findLast((message) => message.role === 'user');
  return sendMessage(`Echo: ${messageText(lastUser)}`);
};
