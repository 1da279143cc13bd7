import { z } from 'zod';
import type { Limits } from './limit-types.ts';

/** Bounds past which a limit is a typo rather than a policy. */
export const LIMIT_BOUNDS = {
  rpm: 1_000_000,
  tpm: 1_000_000_000,
  maxConcurrentTurns: 10_000,
  budgetUsd: 1_000_000_000,
  budgetTokens: 1_000_000_000_000,
} as const;

const positiveInteger = (max: number, what: string) =>
  z
    .number()
    .int(`${what} must be a whole number.`)
    .min(1, `${what} must be at least 1 (clear the limit with null instead of 0).`)
    .max(max, `${what} must be at most ${max}.`);

export const budgetSchema = z
  .strictObject({
    usd: z
      .number()
      .positive('budget.usd must be more than 0.')
      .max(LIMIT_BOUNDS.budgetUsd, `budget.usd must be at most ${LIMIT_BOUNDS.budgetUsd}.`)
      .optional()
      .meta({ description: 'Spend cap in USD (from the providers file prices; unpriced calls add nothing).' }),
    tokens: positiveInteger(LIMIT_BOUNDS.budgetTokens, 'budget.tokens')
      .optional()
      .meta({ description: 'Spend cap in tokens (prompt + completion of every upstream call).' }),
    period: z.enum(['day', 'month']).meta({ description: 'The calendar period (UTC) the cap covers.' }),
  })
  .superRefine((budget, context) => {
    if ((budget.usd === undefined) === (budget.tokens === undefined)) {
      context.addIssue({
        code: 'custom',
        path: budget.usd === undefined ? ['usd'] : ['tokens'],
        message: 'A budget has exactly one of usd and tokens.',
      });
    }
  })
  .meta({ id: 'Budget' });

/** The body of `PUT /v1/admin/users/{id}/limits` and `…/api-keys/{key_id}/limits`: the whole set (absent = none). */
export const limitsBodySchema = z
  .strictObject({
    rpm: positiveInteger(LIMIT_BOUNDS.rpm, 'rpm')
      .nullable()
      .default(null)
      .meta({ description: 'Turns started per minute (sliding window).' }),
    tpm: positiveInteger(LIMIT_BOUNDS.tpm, 'tpm')
      .nullable()
      .default(null)
      .meta({ description: 'Upstream tokens per minute (sliding window).' }),
    max_concurrent_turns: positiveInteger(LIMIT_BOUNDS.maxConcurrentTurns, 'max_concurrent_turns')
      .nullable()
      .default(null)
      .meta({ description: 'Turns running at once.' }),
    budget: budgetSchema.nullable().default(null),
    exempt: z
      .boolean()
      .default(false)
      .meta({ description: 'Users only: exempt from every limit, the server defaults included.' }),
  })
  .meta({ id: 'LimitsInput' });

export type LimitsBody = z.output<typeof limitsBodySchema>;

/** The domain limits of a validated body. */
export function limitsOfBody(body: LimitsBody): Limits {
  return {
    rpm: body.rpm,
    tpm: body.tpm,
    maxConcurrentTurns: body.max_concurrent_turns,
    budget: body.budget && {
      ...(body.budget.usd !== undefined && { usd: body.budget.usd }),
      ...(body.budget.tokens !== undefined && { tokens: body.budget.tokens }),
      period: body.budget.period,
    },
    exempt: body.exempt,
  };
}

/** The JSON of limits (snake_case, as the API reads and writes them). */
export function limitsResource(limits: Limits) {
  return {
    rpm: limits.rpm,
    tpm: limits.tpm,
    max_concurrent_turns: limits.maxConcurrentTurns,
    budget: limits.budget,
    exempt: limits.exempt,
  };
}

export const limitsSchema = z
  .object({
    rpm: z.number().int().nullable(),
    tpm: z.number().int().nullable(),
    max_concurrent_turns: z.number().int().nullable(),
    budget: z
      .object({ usd: z.number().optional(), tokens: z.number().int().optional(), period: z.enum(['day', 'month']) })
      .nullable(),
    exempt: z.boolean(),
  })
  .meta({ id: 'Limits' });

/** `GET/PUT /v1/admin/users/{id}/limits` (and keys'): the subject's own limits. */
export const limitsRecordSchema = z
  .object({
    object: z.literal('limits'),
    user_id: z.string(),
    key_id: z.string().nullable(),
    limits: limitsSchema.nullable().meta({ description: 'Null: none of its own (a user then has the defaults).' }),
    updated_at: z.string().nullable(),
  })
  .meta({ id: 'LimitsRecord' });

const consumptionSchema = z.object({
  requests_last_minute: z.number().int(),
  tokens_last_minute: z.number().int(),
  concurrent_turns: z.number().int(),
  budget_spent: z
    .object({ usd: z.number(), tokens: z.number().int(), period_start: z.string() })
    .nullable()
    .meta({ description: 'Spend in the current budget period; null without a budget.' }),
});

const effectiveSchema = z.object({
  source: z
    .enum(['own', 'default', 'none'])
    .meta({ description: 'Whose limits these are: set for it, the server defaults (users only), or none.' }),
  limits: limitsSchema,
  consumption: consumptionSchema,
});

/** `GET /v1/limits`: the caller's effective limits and what it has used of them. */
export const callerLimitsSchema = z
  .object({
    object: z.literal('limits'),
    exempt: z.boolean().meta({ description: 'True: no limit applies (an exempt user, or the CLI).' }),
    user: effectiveSchema.extend({ user_id: z.string() }),
    key: effectiveSchema.extend({ key_id: z.string() }).nullable(),
  })
  .meta({ id: 'CallerLimits' });

export type CallerLimits = z.output<typeof callerLimitsSchema>;

/** The JSON of a subject's own limits (`limits` null: none of its own). */
export function limitsRecordResource(record: {
  userId: string;
  keyId: string | null;
  limits: Limits | null;
  updatedAt: string;
}) {
  return {
    object: 'limits' as const,
    user_id: record.userId,
    key_id: record.keyId,
    limits: record.limits && limitsResource(record.limits),
    updated_at: record.updatedAt || null,
  };
}
