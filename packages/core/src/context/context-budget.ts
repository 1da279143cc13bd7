import { toLlmMessage } from '../agent/context-messages.ts';
import { renderMemorySection, renderSummarySection } from '../agent/system-prompt.ts';
import type { ContextSummary, MemoryBlock, StoredMessage } from '../domain/types.ts';
import type { LlmMessage, LlmToolDefinition } from '../llm/provider.ts';
import { countMessageTokens, countSectionTokens, countToolTokens, storedMessageTokens } from './token-counter.ts';

/** Past this share of the context window the agent is warned, once, to save what matters. */
export const MEMORY_PRESSURE_RATIO = 0.75;
/** A call that would pass this share is preceded by a summarisation of the oldest messages. */
export const SUMMARISE_RATIO = 0.9;
/** After summarising, the kept messages fill at most this share of the room left for messages. */
export const KEEP_RATIO = 0.5;

/** Everything a prompt is made of. */
export interface ContextParts {
  system: string;
  /** The request's own system/developer messages (this turn only). */
  instructions?: readonly LlmMessage[];
  memory: MemoryBlock[];
  summary: ContextSummary | null;
  messages: readonly StoredMessage[];
  tools: readonly LlmToolDefinition[];
}

/** Tokens by prompt section; `total` is what the next upstream call would send. */
export interface ContextMeasure {
  system: number;
  memory: number;
  summary: number;
  messages: number;
  tools: number;
  total: number;
  contextWindow: number;
}

/** Prompt tokens of one in-context message (its stored count when it has one). */
export function messageTokens(message: StoredMessage): number {
  return storedMessageTokens(message, toLlmMessage);
}

/**
 * Counts the prompt section by section. Messages use their stored counts, so the cost is that of
 * the fixed sections (cached per distinct text) plus one addition per in-context message.
 */
export function measureContext(parts: ContextParts, contextWindow: number): ContextMeasure {
  const instructions = (parts.instructions ?? []).reduce((sum, message) => sum + countMessageTokens(message), 0);
  const system = countMessageTokens({ role: 'system', content: '' }) + countSectionTokens(parts.system) + instructions;
  const memory = countSectionTokens(renderMemorySection(parts.memory));
  const summary = parts.summary ? countSectionTokens(renderSummarySection(parts.summary)) : 0;
  const messages = parts.messages.reduce((sum, message) => sum + messageTokens(message), 0);
  const tools = countToolTokens(parts.tools);
  return {
    system,
    memory,
    summary,
    messages,
    tools,
    total: system + memory + summary + messages + tools,
    contextWindow,
  };
}

/** The longest the recursive summary may grow: a tenth of the window, within sane bounds. */
export function maxSummaryTokens(contextWindow: number): number {
  return Math.min(2000, Math.max(100, Math.floor(contextWindow * 0.1)));
}
