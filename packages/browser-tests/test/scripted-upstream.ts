import { echoResponder, messageText, type Responder, sendMessage } from '@memgate/testkit';

/** The name in "my name is …", if the message says it. */
export function nameIn(text: string): string | null {
  return /\bmy name is ([\p{L}-]+)/iu.exec(text)?.[1] ?? null;
}

/**
 * The mock upstream's answers for the console tests: "my name is X" makes the agent write
 * `Name: X` into its human block (core_memory_replace when a name is there already, else
 * core_memory_append), then reply; anything else is echoed (`Echo: …`). A memory edit asks for a
 * heartbeat, so the next request (its tool result last) gets the reply.
 */
export const consoleResponder: Responder = (request) => {
  const messages = request.body.messages;
  const last = messages.at(-1);
  if (last?.role === 'tool') {
    const lastUser = messageText(messages.findLast((message) => message.role === 'user'));
    const name = nameIn(lastUser);
    return name
      ? sendMessage(`Nice to meet you, ${name}.`, { content: `I stored ${name} in memory.` })
      : echoResponder(request);
  }
  const text = messageText(last);
  const name = nameIn(text);
  if (!name) return echoResponder(request);
  const system = messageText(messages.find((message) => message.role === 'system'));
  const previous = /Name: ([\p{L}-]+)/u.exec(system)?.[0];
  const call = previous
    ? {
        name: 'core_memory_replace',
        arguments: { label: 'human', old_content: previous, new_content: `Name: ${name}`, request_heartbeat: true },
      }
    : { name: 'core_memory_append', arguments: { label: 'human', content: `Name: ${name}`, request_heartbeat: true } };
  return { content: `The user told me their name: ${name}.`, toolCalls: [call] };
};
