import { z } from 'zod';

/** A day (`YYYY-MM-DD`, UTC) or an ISO 8601 date-time with its offset. */
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** The query of `GET /v1/usage`: how to group, and the range (default: the last 30 days). */
export const usageQuerySchema = z.strictObject({
  group_by: z
    .enum(['agent', 'key', 'model', 'day'])
    .default('day')
    .meta({ description: 'Sum the calls per agent, API key, model, or UTC day.' }),
  from: instant
    .optional()
    .meta({ description: 'Start, inclusive (a day starts at 00:00 UTC). Default: `to` − 30 days.' }),
  to: instant.optional().meta({ description: 'End, exclusive; a day is included whole. Default: now.' }),
});

/** The admin's query (`GET /v1/admin/usage`): the same, over every user or one. */
export const adminUsageQuerySchema = usageQuerySchema.extend({
  user_id: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Only this user’s calls; default: every user’s.' }),
});

const totalsShape = {
  calls: z.number().int().meta({ description: 'Upstream calls, failed ones included.' }),
  turns: z
    .number()
    .int()
    .meta({
      description:
        'Turns the calls were made for (a turn: one request to an agent, which may make several calls); ' +
        'calls outside a turn (an archival request’s embedding) count none. A turn whose calls fall in ' +
        'two groups counts in each, so the groups may sum to more than the totals.',
    }),
  failed_calls: z.number().int().meta({ description: 'Calls whose outcome was not `ok`.' }),
  prompt_tokens: z.number().int(),
  cached_tokens: z
    .number()
    .int()
    .meta({ description: 'Prompt tokens served from the upstream’s cache (part of `prompt_tokens`).' }),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  cost_usd: z
    .number()
    .meta({ description: 'Sum of the priced calls’ costs; calls of models without prices add nothing.' }),
};

export const usageTotalsSchema = z.object(totalsShape).meta({ id: 'UsageTotals' });

export const usageGroupSchema = z
  .object({
    key: z.string().nullable().meta({
      description:
        'The agent id, key id, model or day (`YYYY-MM-DD`); null for calls with none (a CLI call has no key).',
    }),
    ...totalsShape,
  })
  .meta({ id: 'UsageGroup' });

export const usageReportSchema = z
  .object({
    object: z.literal('usage'),
    group_by: z.enum(['agent', 'key', 'model', 'day']),
    from: z.string().meta({ description: 'ISO 8601, inclusive.' }),
    to: z.string().meta({ description: 'ISO 8601, exclusive.' }),
    user_id: z.string().nullable().meta({ description: 'The user whose calls these are; null: every user’s.' }),
    data: z.array(usageGroupSchema),
    totals: usageTotalsSchema,
  })
  .meta({ id: 'UsageReport' });

export type UsageReport = z.output<typeof usageReportSchema>;
