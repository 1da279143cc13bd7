import { countTokens, decode, encode } from 'gpt-tokenizer';
import type { StoredMessage } from '../domain/types.ts';
import type { LlmContentPart, LlmMessage, LlmToolDefinition } from '../llm/provider.ts';

// Text that happens to contain "<|endoftext|>" is still plain text to count, never an error.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** What the chat format adds around each message (role, separators), as OpenAI documents it. */
const MESSAGE_OVERHEAD = 4;
/** What a tool call adds besides its name and arguments (id, type, framing). */
const TOOL_CALL_OVERHEAD = 8;

/**
 * Tokens of a text with the o200k_base encoding (GPT-4o and later). Other model families
 * tokenize differently; the context thresholds leave room for that.
 */
export function countTextTokens(text: string): number {
  let tokens = 0;
  for (const segment of segments(text)) tokens += countTokens(segment, PLAIN_TEXT);
  return tokens;
}

/** Longest piece tokenized at once. */
const SEGMENT_LENGTH = 1024;

/**
 * The text in pieces of at most SEGMENT_LENGTH, cut at whitespace where there is some. BPE is
 * quadratic in the length of a run without spaces (20,000 "x" take half a second in one piece),
 * so one pasted blob must not stall every turn; the cuts add well under 1% to a count.
 */
function* segments(text: string): Generator<string> {
  let start = 0;
  while (text.length - start > SEGMENT_LENGTH) {
    let end = start + SEGMENT_LENGTH;
    const space = text.lastIndexOf(' ', end);
    if (space > start + SEGMENT_LENGTH / 2) end = space;
    yield text.slice(start, end);
    start = end;
  }
  if (start < text.length) yield text.slice(start);
}

const sectionCache = new Map<string, number>();
const SECTION_CACHE_LIMIT = 512;

/**
 * `countTextTokens` for the prompt sections that repeat from call to call (instructions, memory,
 * summary): counted once per distinct text, so a step does not re-tokenize what it sent before.
 */
export function countSectionTokens(text: string): number {
  let tokens = sectionCache.get(text);
  if (tokens === undefined) {
    tokens = countTextTokens(text);
    if (sectionCache.size >= SECTION_CACHE_LIMIT) sectionCache.clear();
    sectionCache.set(text, tokens);
  }
  return tokens;
}

/**
 * What one image costs, following OpenAI's rule for GPT-4o-class models: 85 tokens at `low`
 * detail; at `high`/`auto` 85 plus 170 per 512-pixel tile. memgate never fetches or decodes the
 * image, so it counts the tiles of a typical 1024×1024 picture (4): 765 tokens.
 */
export function countImageTokens(detail: 'auto' | 'low' | 'high' | undefined): number {
  return detail === 'low' ? 85 : 85 + 4 * 170;
}

function contentTokens(content: string | LlmContentPart[] | null): number {
  if (typeof content === 'string' || content === null) return countTextTokens(content ?? '');
  let tokens = 0;
  for (const part of content) {
    tokens += part.type === 'text' ? countTextTokens(part.text) : countImageTokens(part.image_url.detail);
  }
  return tokens;
}

/** Tokens one message takes in a prompt: its text and images, its tool calls, and the chat framing. */
export function countMessageTokens(message: LlmMessage): number {
  let tokens = MESSAGE_OVERHEAD + contentTokens(message.content);
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) {
      tokens += TOOL_CALL_OVERHEAD + countTextTokens(call.function.name) + countTextTokens(call.function.arguments);
    }
  }
  if (message.role === 'user' && message.name) tokens += countTextTokens(message.name);
  return tokens;
}

/**
 * Tokens the tool schemas take; cached, since an agent sends the same tools on every call. Client
 * schemas are at most MAX_JSON_DEPTH deep (refused at the edge, before anything is stored), so
 * JSON.stringify's recursion here is bounded.
 */
export function countToolTokens(tools: readonly LlmToolDefinition[]): number {
  return tools.length === 0 ? 0 : countSectionTokens(JSON.stringify(tools));
}

/** The cached count of a stored message, else its count now (rows stored before counts were kept). */
export function storedMessageTokens(message: StoredMessage, toLlm: (message: StoredMessage) => LlmMessage): number {
  return message.tokenCount ?? countMessageTokens(toLlm(message));
}

/** The longest prefix of `text` that fits `maxTokens`, marked with an ellipsis when cut. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (countTextTokens(text) <= maxTokens) return text;
  // No token is shorter than one character, so this prefix holds every token that can be kept.
  const tokens = encode(text.slice(0, maxTokens * 8), PLAIN_TEXT);
  return `${decode(tokens.slice(0, Math.max(0, maxTokens - 1)))}…`;
}
