import { randomUUID } from 'node:crypto';
import type { Agent, ContextSummary, MemoryBlock, NewMessage, StoredMessage } from '../domain/types.ts';
import type { LlmMessage, LlmToolDefinition } from '../llm/provider.ts';
import type { Store, TurnStep } from '../store/store.ts';
import type { TelemetrySpan } from '../telemetry/telemetry.ts';
import {
  type ContextMeasure,
  KEEP_RATIO,
  MEMORY_PRESSURE_RATIO,
  maxSummaryTokens,
  measureContext,
  messageTokens,
  SUMMARISE_RATIO,
} from './context-budget.ts';
import { type GenerateCall, Summariser } from './summariser.ts';

/** What is in the agent's context besides the system prompt, as the turn keeps it up to date. */
export interface ContextWindowState {
  summary: ContextSummary | null;
  messages: StoredMessage[];
}

/** The parts of the next upstream call that are not in the window state. */
export interface FitInput {
  agent: Pick<Agent, 'id' | 'system' | 'contextWindow'>;
  model: string;
  memory: MemoryBlock[];
  instructions: readonly LlmMessage[];
  tools: readonly LlmToolDefinition[];
  /** Summarise even below the threshold: the upstream said the prompt is too long. */
  force?: boolean;
  /** A summarisation is reported as a child of this span (the step's). */
  span?: TelemetrySpan;
  /** Awaited before a summary moves the window (it cuts by seq): the turn's pending commit lands first. */
  beforeChange?: () => Promise<void>;
}

export interface ContextManagerOptions {
  store: Store;
  /** Commits a step with the turn's bookkeeping (token counts, events). */
  commit: (step: TurnStep) => Promise<StoredMessage[]>;
  /** Upstream calls for summaries, accounted to the turn. */
  generate: GenerateCall;
}

/** Opens the memory-pressure alert; a window holding one is not warned again. */
export const MEMORY_PRESSURE_PREFIX = '[memory pressure]';

/** A conversation's window as stored: its summary and the messages in context, never the whole history. */
export async function loadContextWindow(store: Store, conversationId: string): Promise<ContextWindowState> {
  const [summary, messages] = await Promise.all([
    store.getContextSummary(conversationId),
    store.listContextMessages(conversationId),
  ]);
  return { summary, messages };
}

/** Keeps one turn's prompt inside the agent's context window. */
export class ContextManager {
  constructor(private readonly options: ContextManagerOptions) {}

  /** A conversation's window: only the messages in context, never the whole history. */
  load(conversationId: string): Promise<ContextWindowState> {
    return loadContextWindow(this.options.store, conversationId);
  }

  /**
   * Makes room before an upstream call: past SUMMARISE_RATIO (or when forced) the oldest
   * messages are folded into the summary and leave the window; past MEMORY_PRESSURE_RATIO the
   * agent gets one alert. Returns whether it summarised, and the prompt's size after.
   */
  async fit(state: ContextWindowState, input: FitInput): Promise<{ summarised: boolean; measure: ContextMeasure }> {
    const window = input.agent.contextWindow;
    let measure = this.measure(state, input);
    let summarised = false;
    if (input.force || measure.total > SUMMARISE_RATIO * window) {
      await input.beforeChange?.();
      summarised = await this.summariseTraced(state, input, measure);
      if (summarised) measure = this.measure(state, input);
    }
    if (measure.total > MEMORY_PRESSURE_RATIO * window && !state.messages.some(isPressureWarning)) {
      state.messages.push(
        ...(await this.options.commit({ agentId: input.agent.id, messages: [warning(input, measure)] })),
      );
      measure = this.measure(state, input);
    }
    return { summarised, measure };
  }

  measure(state: ContextWindowState, input: FitInput): ContextMeasure {
    return measureContext(
      {
        system: input.agent.system,
        instructions: input.instructions,
        memory: input.memory,
        summary: state.summary,
        messages: state.messages,
        tools: input.tools,
      },
      input.agent.contextWindow,
    );
  }

  private async summariseTraced(state: ContextWindowState, input: FitInput, measure: ContextMeasure) {
    const span = input.span?.child('summarise', { agentId: input.agent.id });
    try {
      const summarised = await this.summarise(state, input, measure, span);
      span?.end({});
      return summarised;
    } catch (error) {
      span?.end({}, error);
      throw error;
    }
  }

  private async summarise(
    state: ContextWindowState,
    input: FitInput,
    measure: ContextMeasure,
    span?: TelemetrySpan,
  ): Promise<boolean> {
    const window = input.agent.contextWindow;
    // The summary is about to be rewritten: budget for the longest it may become.
    const fixed = measure.total - measure.messages - measure.summary + maxSummaryTokens(window) + 40;
    let keepBudget = Math.max(0, (SUMMARISE_RATIO * window - fixed) * KEEP_RATIO);
    if (input.force) keepBudget = Math.min(keepBudget, measure.messages / 2);
    const keepFrom = windowCut(state.messages, keepBudget);
    const firstKept = state.messages[keepFrom];
    if (keepFrom <= 0 || !firstKept) return false;

    const evicted = state.messages.slice(0, keepFrom);
    // The summary's upstream call is reported under the summarise span.
    const generate: GenerateCall = (request) => this.options.generate(request, span);
    const summary = await new Summariser(generate).summarise({
      previous: state.summary,
      evicted,
      model: input.model,
      contextWindow: window,
    });
    // The summary and the window move commit together: a crash leaves either both or neither.
    await this.options.commit({ agentId: input.agent.id, messages: [], summary, contextStartSeq: firstKept.seq });
    state.summary = summary;
    state.messages.splice(0, keepFrom);
    return true;
  }
}

/**
 * Where the kept part of the window starts: the newest messages that fit `keepBudget`, but always
 * the request being answered (from the last user message on), and never a tool result without
 * the assistant call it answers.
 */
export function windowCut(messages: readonly StoredMessage[], keepBudget: number): number {
  let keepFrom = messages.length;
  let kept = 0;
  while (keepFrom > 0) {
    const tokens = messageTokens(messages[keepFrom - 1]!);
    if (kept + tokens > keepBudget) break;
    keepFrom--;
    kept += tokens;
  }
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  const anchor = lastUser >= 0 ? lastUser : messages.findLastIndex((message) => message.role !== 'tool');
  if (anchor >= 0) keepFrom = Math.min(keepFrom, anchor);
  while (keepFrom > 0 && messages[keepFrom]?.role === 'tool') keepFrom--;
  return keepFrom;
}

function isPressureWarning(message: StoredMessage): boolean {
  return message.role === 'system' && (message.content ?? '').startsWith(MEMORY_PRESSURE_PREFIX);
}

function warning(input: FitInput, measure: ContextMeasure): NewMessage {
  const percent = Math.round((measure.total / measure.contextWindow) * 100);
  return {
    id: `message-${randomUUID()}`,
    agentId: input.agent.id,
    role: 'system',
    content:
      `${MEMORY_PRESSURE_PREFIX} Your context window is ${percent}% full (${measure.total} of ` +
      `${measure.contextWindow} tokens). The oldest messages will soon be summarised and leave your context ` +
      '(conversation_search will still find them). Save anything important to core or archival memory now.',
    toolCalls: null,
    toolCallId: null,
    name: null,
    createdAt: new Date().toISOString(),
  };
}
