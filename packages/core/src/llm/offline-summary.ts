import { contentTextOf } from './message-text.ts';
import type { LlmRequest } from './provider.ts';

/** Lines the offline summary keeps: the newest facts win, so it never grows past a screenful. */
const MAX_LINES = 12;
const MAX_WORDS_PER_LINE = 16;

function shorten(text: string): string {
  const words = text.trim().split(/\s+/);
  return words.length <= MAX_WORDS_PER_LINE ? words.join(' ') : `${words.slice(0, MAX_WORDS_PER_LINE).join(' ')}…`;
}

/**
 * The offline model's answer to a summary request: a deterministic digest that keeps the previous
 * summary's lines and adds one line per thing the user said or the agent sent, newest last.
 */
export function offlineSummary(request: LlmRequest): string {
  const input = contentTextOf(request.messages.findLast((message) => message.role === 'user')?.content ?? null);
  const [previousPart = '', newPart = ''] = input.split(/\n\nNew messages, oldest first:\n/);
  const previous = previousPart
    .replace(/^Previous summary:\n/, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== '(none yet)');
  const added: string[] = [];
  for (const line of newPart.split('\n')) {
    const user = /^\[[^\]]*\] user(?: \([^)]*\))?: (.*)$/.exec(line);
    if (user?.[1]) added.push(`- The user said: ${shorten(user[1])}`);
    const sent = /^\[[^\]]*\] assistant .*?said: (.*)$/.exec(line);
    if (sent?.[1]) added.push(`- The assistant replied: ${shorten(sent[1])}`);
  }
  const lines = [...previous, ...added].slice(-MAX_LINES);
  return lines.length > 0 ? lines.join('\n') : '- Nothing of note was said.';
}
