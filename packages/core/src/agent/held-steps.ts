import type { StoredMessage } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { LlmMessage } from '../llm/provider.ts';
import type { TurnStep } from '../store/store.ts';
import { toLlmMessage } from './context-messages.ts';
import type { ReplyFormat } from './reply-format.ts';

/** Replies that may fail validation in one turn: the first attempt and one repair. */
const MAX_INVALID_REPLIES = 2;

/**
 * The steps of a structured turn, kept back until the turn has a valid reply: a turn that ends
 * with an error stores nothing but the client's input (whose retry is then recognised, not stored
 * twice), never an invalid reply nor half of the work around it. Tools have no side effects
 * outside their step, so holding a step back holds back everything it did.
 */
export class HeldSteps {
  private readonly steps: TurnStep[] = [];
  private readonly prompt: StoredMessage[] = [];
  private invalidReplies = 0;

  constructor(
    readonly format: ReplyFormat,
    private readonly conversationId: string,
  ) {}

  hold(step: TurnStep): void {
    this.steps.push(step);
    // Sent upstream after the stored window; `seq` is never read on that path.
    for (const message of step.messages) this.prompt.push({ ...message, conversationId: this.conversationId, seq: 0 });
  }

  /** The held messages, in order, as the next step's prompt continues them. */
  messages(): readonly StoredMessage[] {
    return this.prompt;
  }

  /** The held messages in the upstream format, for measuring the prompt. */
  llmMessages(): LlmMessage[] {
    return this.prompt.map(toLlmMessage);
  }

  /** Counts a reply that failed validation; after the repair step too, the turn fails. */
  rejected(problem: string): void {
    this.invalidReplies++;
    if (this.invalidReplies < MAX_INVALID_REPLIES) return;
    const target = this.format.name ? `the JSON Schema "${this.format.name}"` : 'response_format json_object';
    throw new MemgateError(
      'UPSTREAM_ERROR',
      `The model's reply did not match ${target}, even after one repair attempt: ${problem}`,
      { param: 'response_format', detailCode: 'invalid_structured_output' },
    );
  }

  /** Every held step as one, so the turn's work is stored atomically (later memory values win). */
  merged(agentId: string): TurnStep | null {
    if (this.steps.length === 0) return null;
    return {
      agentId,
      messages: this.steps.flatMap((step) => step.messages),
      memory: lastWritePerBlock(this.steps.flatMap((step) => step.memory ?? [])),
      passages: this.steps.flatMap((step) => step.passages ?? []),
      addPendingToolCalls: this.steps.flatMap((step) => step.addPendingToolCalls ?? []),
    };
  }
}

/**
 * One write per block: the last value, over the version the first edit was made from (nothing was
 * stored in between, so every held edit of a block was made from that version).
 */
function lastWritePerBlock(changes: NonNullable<TurnStep['memory']>): NonNullable<TurnStep['memory']> {
  const byLabel = new Map<string, NonNullable<TurnStep['memory']>[number]>();
  for (const change of changes) {
    const first = byLabel.get(change.label);
    byLabel.set(change.label, first ? { ...change, version: first.version } : change);
  }
  return [...byLabel.values()];
}
