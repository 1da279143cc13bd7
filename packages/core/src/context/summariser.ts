import type { ContextSummary, StoredMessage } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { LlmRequest, LlmResult } from '../llm/provider.ts';
import type { TelemetrySpan } from '../telemetry/telemetry.ts';
import { maxSummaryTokens } from './context-budget.ts';
import { summaryInstructions, summaryRequestMessages, transcriptLine } from './summary-prompt.ts';
import { countTextTokens, truncateToTokens } from './token-counter.ts';

/**
 * One upstream call, with the caller's accounting (usage, timing, cancellation) around it; its
 * span is a child of `parent` when given (a summary's call, of the summarise span).
 */
export type GenerateCall = (request: LlmRequest, parent?: TelemetrySpan) => Promise<LlmResult>;

export interface SummariseInput {
  previous: ContextSummary | null;
  /** The messages leaving the context, oldest first. */
  evicted: readonly StoredMessage[];
  model: string;
  contextWindow: number;
}

/** A summary request may use this share of the window, leaving the rest for the answer and slack. */
const REQUEST_SHARE = 0.75;
/** Halvings tried on a context_length_exceeded before giving up (our count and the upstream's differ). */
const MAX_SPLITS = 6;

function isContextOverflow(error: unknown): boolean {
  return error instanceof MemgateError && error.detailCode === 'context_length_exceeded';
}

/**
 * Folds messages that leave the context into the agent's recursive summary, through the upstream.
 * The transcript is cut into chunks that fit the window, each folded into the summary of the ones
 * before it, so any amount of history can be summarised whatever the window.
 */
export class Summariser {
  constructor(private readonly generate: GenerateCall) {}

  async summarise(input: SummariseInput): Promise<ContextSummary> {
    const maxTokens = maxSummaryTokens(input.contextWindow);
    const maxWords = Math.floor(maxTokens * 0.7);
    const overhead = countTextTokens(summaryInstructions(maxWords)) + 64;
    const chunkBudget = Math.max(64, Math.floor(input.contextWindow * REQUEST_SHARE) - overhead - 2 * maxTokens);
    const lineCharacters = Math.max(200, chunkBudget * 2);
    const lines = input.evicted.map((message) => transcriptLine(message, lineCharacters));

    let text = input.previous?.text ?? null;
    for (const chunk of chunksOf(lines, chunkBudget)) {
      text = await this.fold(input.model, text, chunk, { maxTokens, maxWords, splits: 0 });
    }
    return {
      text: text ?? '',
      messageCount: (input.previous?.messageCount ?? 0) + input.evicted.length,
      updatedAt: new Date().toISOString(),
    };
  }

  private async fold(
    model: string,
    previous: string | null,
    lines: readonly string[],
    limits: { maxTokens: number; maxWords: number; splits: number },
  ): Promise<string> {
    const request: LlmRequest = {
      model,
      messages: summaryRequestMessages(previous, lines, limits.maxWords),
      sampling: {},
    };
    let result: LlmResult;
    try {
      result = await this.generate(request);
    } catch (error) {
      if (!isContextOverflow(error) || limits.splits >= MAX_SPLITS) throw error;
      const next = { ...limits, splits: limits.splits + 1 };
      if (lines.length > 1) {
        const middle = Math.ceil(lines.length / 2);
        const first = await this.fold(model, previous, lines.slice(0, middle), next);
        return this.fold(model, first, lines.slice(middle), next);
      }
      const line = lines[0] ?? '';
      return this.fold(model, previous, [`${line.slice(0, Math.floor(line.length / 2))}…`], next);
    }
    const answer = result.content?.trim();
    // A model that answers with nothing still must not lose the messages: keep a plain digest.
    const summary = answer ? answer : [previous ?? '', ...lines].filter(Boolean).join('\n');
    return truncateToTokens(summary, limits.maxTokens);
  }
}

/** Consecutive lines grouped so each group's tokens stay within `budget` (a longer line goes alone). */
function chunksOf(lines: readonly string[], budget: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let used = 0;
  for (const line of lines) {
    const tokens = countTextTokens(line) + 1;
    if (current.length > 0 && used + tokens > budget) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(line);
    used += tokens;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
