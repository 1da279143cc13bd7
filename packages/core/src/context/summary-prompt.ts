import { textWithPlaceholders } from '../attachments/content-parts.ts';
import type { StoredMessage } from '../domain/types.ts';
import type { LlmMessage, LlmRequest } from '../llm/provider.ts';

/** Opens the summariser's instructions; also how the offline model recognises a summary request. */
export const SUMMARY_INSTRUCTIONS_OPENING = 'You maintain the running summary of a conversation';

/** The summariser's system prompt. */
export function summaryInstructions(maxWords: number): string {
  return (
    `${SUMMARY_INSTRUCTIONS_OPENING} between an AI agent (the assistant) and a user, kept in the agent's own memory ` +
    'because the oldest messages no longer fit its context window. Merge the previous summary and the new messages ' +
    'into one updated summary, oldest events first, written in the third person. Keep names, facts about the user, ' +
    'decisions, commitments, open questions and anything the agent promised to do; leave out small talk and tool ' +
    `mechanics. Use at most ${maxWords} words. Answer with the summary text only.`
  );
}

/** The user message of a summary request: the summary so far, then the transcript to fold into it. */
export function summaryInput(previous: string | null, transcript: readonly string[]): string {
  return `Previous summary:\n${previous ?? '(none yet)'}\n\nNew messages, oldest first:\n${transcript.join('\n')}`;
}

/** True for a request built by the summariser: no tools, and its instructions. */
export function isSummaryRequest(request: LlmRequest): boolean {
  if (request.tools && request.tools.length > 0) return false;
  const first = request.messages[0];
  return first?.role === 'system' && first.content.startsWith(SUMMARY_INSTRUCTIONS_OPENING);
}

function clip(text: string, maxCharacters: number): string {
  return text.length <= maxCharacters ? text : `${text.slice(0, maxCharacters)}… (${text.length} characters)`;
}

/** What a tool call contributes to the transcript: what was said, or which tool was used. */
function describeCall(call: { function: { name: string; arguments: string } }, maxCharacters: number): string {
  if (call.function.name === 'send_message') {
    try {
      const parsed: unknown = JSON.parse(call.function.arguments);
      const message: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'message') : null;
      if (typeof message === 'string') return `said: ${clip(message, maxCharacters)}`;
    } catch {
      // A garbled send is described like any other call.
    }
  }
  return `called ${call.function.name}(${clip(call.function.arguments, Math.min(maxCharacters, 300))})`;
}

/** One transcript line per message, each clipped to `maxCharacters` so no line can swamp a request. */
export function transcriptLine(message: StoredMessage, maxCharacters: number): string {
  const when = message.createdAt.slice(0, 16).replace('T', ' ');
  // An image becomes a short placeholder: the summary keeps that it was sent, not its bytes.
  const content = message.role === 'user' ? textWithPlaceholders(message) : (message.content ?? '');
  switch (message.role) {
    case 'user':
      return `[${when}] user${message.name ? ` (${message.name})` : ''}: ${clip(content, maxCharacters)}`;
    case 'assistant': {
      const parts = content ? [`thought: ${clip(content, maxCharacters)}`] : [];
      for (const call of message.toolCalls ?? []) parts.push(describeCall(call, maxCharacters));
      return `[${when}] assistant ${parts.join('; ')}`;
    }
    case 'tool':
      return `[${when}] tool ${message.name ?? ''} result: ${clip(content, 200)}`;
    case 'system':
      return `[${when}] system: ${clip(content, 300)}`;
  }
}

/** The messages of one summary request. */
export function summaryRequestMessages(previous: string | null, transcript: readonly string[], maxWords: number) {
  const messages: LlmMessage[] = [
    { role: 'system', content: summaryInstructions(maxWords) },
    { role: 'user', content: summaryInput(previous, transcript) },
  ];
  return messages;
}
