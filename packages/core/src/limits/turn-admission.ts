import type { UsageRecord } from '../domain/types.ts';
import { budgetReached, type Spend } from './budget-period.ts';
import type { Budget, StopReason } from './limit-types.ts';

/** A budget a running turn watches: its subject's spend before the turn, and the cap. */
export interface WatchedBudget {
  who: 'user' | 'key';
  budget: Budget;
  spentBefore: Spend;
}

/**
 * The limits a turn was admitted under, for the rest of its life: it counts its calls' tokens
 * (tpm) and spend (budgets), tells the turn when a budget is spent (before each further call), and
 * gives its concurrency slots back once, when it ends.
 */
export class TurnAdmission {
  #spent: Spend = { usd: 0, tokens: 0 };
  #released = false;

  constructor(
    private readonly hooks: {
      addTokens: (tokens: number) => void;
      release: () => Promise<void>;
      budgets: WatchedBudget[];
    },
  ) {}

  /** Counts an upstream call of the turn (every purpose: steps, summaries, embeddings). */
  recordCall(record: Pick<UsageRecord, 'promptTokens' | 'completionTokens' | 'costUsd'>): void {
    const tokens = record.promptTokens + record.completionTokens;
    this.#spent.tokens += tokens;
    this.#spent.usd += record.costUsd ?? 0;
    if (tokens > 0) this.hooks.addTokens(tokens);
  }

  /** Why the turn must make no further call because a budget is spent, or null. */
  budgetStop(): StopReason | null {
    for (const watched of this.hooks.budgets) {
      const spend = {
        usd: watched.spentBefore.usd + this.#spent.usd,
        tokens: watched.spentBefore.tokens + this.#spent.tokens,
      };
      if (!budgetReached(watched.budget, spend)) continue;
      const cap = watched.budget.usd !== undefined ? `$${watched.budget.usd}` : `${watched.budget.tokens} tokens`;
      return {
        code: 'budget_exceeded',
        message: `The ${watched.who}'s budget (${cap} per ${watched.budget.period}) is spent: the turn stopped before its next upstream call.`,
      };
    }
    return null;
  }

  /** Gives the concurrency slots back; later calls do nothing. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.hooks.release();
  }
}
