import type { NewMessage } from '../domain/types.ts';

/** Words too common to tell documents apart; dropped from queries that have other words. */
const STOPWORDS = new Set(
  (
    'a an and are as at be but by did do does for from had has have he her his how i if in into is it its me my ' +
    'no not of on or our she so than that the their them then there these they this to was we were what when ' +
    'where which who why will with you your'
  ).split(' '),
);

/** More terms than this add noise, not recall. */
const MAX_TERMS = 32;

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Splits a free-text query into the search terms every store receives: lower-cased runs of
 * letters and digits, without duplicates, without stopwords unless the query has nothing else.
 * Punctuation never reaches a store's query syntax (FTS5 MATCH, to_tsquery), so any text is safe.
 */
export function searchTerms(query: string): string[] {
  const words = [...new Set(query.toLowerCase().match(WORD) ?? [])];
  // A lone latin letter is mostly a split contraction ("user's" gives "s").
  const meaningful = words.filter((word) => !STOPWORDS.has(word) && !/^[a-z]$/.test(word));
  return (meaningful.length > 0 ? meaningful : words).slice(0, MAX_TERMS);
}

/** The `message` argument of a send_message call, if its arguments parse. */
function sentText(argumentsJson: string): string | null {
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const message: unknown = Reflect.get(parsed, 'message');
    return typeof message === 'string' ? message : null;
  } catch {
    return null;
  }
}

/**
 * The text of a message that recall search (conversation_search) indexes, or null when it has
 * none: a user message's content; for the assistant, its content (inner monologue or plain reply)
 * and the text it sent with send_message, which is what the user actually read. Tool results and
 * system alerts are not conversation and are left out.
 */
export function messageSearchText(message: Pick<NewMessage, 'role' | 'content' | 'toolCalls'>): string | null {
  const parts: string[] = [];
  if (message.role === 'user' && message.content) parts.push(message.content);
  if (message.role === 'assistant') {
    if (message.content) parts.push(message.content);
    for (const call of message.toolCalls ?? []) {
      if (call.function.name !== 'send_message') continue;
      const text = sentText(call.function.arguments);
      if (text) parts.push(text);
    }
  }
  const text = parts.join('\n').trim();
  return text === '' ? null : text;
}
