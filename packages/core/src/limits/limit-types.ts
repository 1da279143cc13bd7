/** A spending cap over a calendar period (UTC): exactly one of `usd` and `tokens`. */
export interface Budget {
  usd?: number;
  tokens?: number;
  period: 'day' | 'month';
}

/** The limits of a user or an API key; null: no such limit. */
export interface Limits {
  /** Turns started per minute (a sliding 60 s window). */
  rpm: number | null;
  /** Upstream tokens (prompt + completion, every call) per minute. */
  tpm: number | null;
  /** Turns running at once. */
  maxConcurrentTurns: number | null;
  budget: Budget | null;
  /** A user the admin exempted from every limit (the env defaults included); keys cannot be exempt. */
  exempt: boolean;
}

/** A user's or a key's limits as stored (migration 12). `subject` is the user id or the key id. */
export interface LimitsRecord {
  subject: string;
  userId: string;
  /** Null for a user's own limits. */
  keyId: string | null;
  limits: Limits;
  updatedAt: string;
}

/** Why a turn stopped before the agent had answered (the `end` event's `stopReason`). */
export type StopCode = 'max_steps_per_turn' | 'max_tokens_per_turn' | 'budget_exceeded';

export interface StopReason {
  code: StopCode;
  message: string;
}

/** No limit at all. */
export const NO_LIMITS: Readonly<Limits> = Object.freeze({
  rpm: null,
  tpm: null,
  maxConcurrentTurns: null,
  budget: null,
  exempt: false,
});

/** Whether `limits` limits anything. */
export function limitsAnything(limits: Limits | null): limits is Limits {
  return (
    limits !== null &&
    !limits.exempt &&
    (limits.rpm !== null || limits.tpm !== null || limits.maxConcurrentTurns !== null || limits.budget !== null)
  );
}
