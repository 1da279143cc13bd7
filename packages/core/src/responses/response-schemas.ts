import { z } from 'zod';

/** The shapes memgate returns on the Responses API, for the OpenAPI document (they match OpenAI's). */

const outputText = z.object({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()),
  logprobs: z.array(z.unknown()),
});
const refusal = z.object({ type: z.literal('refusal'), refusal: z.string() });
const itemStatus = z.enum(['in_progress', 'completed', 'incomplete']);

export const responseOutputItemSchema = z
  .discriminatedUnion('type', [
    z.object({
      id: z.string(),
      type: z.literal('message'),
      status: itemStatus,
      role: z.literal('assistant'),
      content: z.array(z.union([outputText, refusal])),
    }),
    z.object({
      id: z.string(),
      type: z.literal('function_call'),
      status: itemStatus,
      call_id: z.string(),
      name: z.string(),
      arguments: z.string(),
    }),
  ])
  .meta({ id: 'ResponseOutputItem' });

export const responseUsageSchema = z
  .object({
    input_tokens: z.number().int(),
    input_tokens_details: z.object({ cached_tokens: z.number().int(), cache_write_tokens: z.number().int() }),
    output_tokens: z.number().int(),
    output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
    total_tokens: z.number().int(),
  })
  .meta({ id: 'ResponseUsage' });

export const responseObjectSchema = z
  .object({
    id: z.string().meta({ description: '`resp_…`' }),
    object: z.literal('response'),
    access_programs: z.null(),
    created_at: z.number().int(),
    status: z.enum(['completed', 'failed', 'in_progress', 'cancelled', 'incomplete']),
    background: z.literal(false),
    completed_at: z.number().int().nullable(),
    conversation: z
      .object({ id: z.string() })
      .nullable()
      .meta({ description: 'The conversation the turn ran in (the agent’s id for its default one).' }),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        status: z.number().int().optional().meta({ description: 'The HTTP status the failure would have had.' }),
        request_id: z.string().optional(),
        retry_after: z.number().int().optional().meta({ description: 'Seconds to wait, for a rate limit.' }),
      })
      .nullable(),
    incomplete_details: z
      .object({
        reason: z.enum([
          'max_output_tokens',
          'content_filter',
          'max_steps_per_turn',
          'max_tokens_per_turn',
          'budget_exceeded',
        ]),
        message: z
          .string()
          .optional()
          .meta({ description: 'memgate: why a per-turn limit or a budget stopped the turn.' }),
      })
      .nullable(),
    instructions: z.string().nullable(),
    max_output_tokens: z.number().int().nullable(),
    max_tool_calls: z.number().int().nullable(),
    metadata: z.record(z.string(), z.string()),
    model: z.string(),
    output: z.array(responseOutputItemSchema),
    parallel_tool_calls: z.boolean(),
    previous_response_id: z.string().nullable(),
    prompt_cache_key: z.string().nullable(),
    prompt_cache_retention: z.string().nullable(),
    reasoning: z.object({ effort: z.string().nullable(), summary: z.string().nullable() }),
    safety_identifier: z.string().nullable(),
    service_tier: z.string(),
    store: z.boolean(),
    temperature: z.number().nullable(),
    text: z.object({ format: z.record(z.string(), z.unknown()), verbosity: z.string() }),
    tool_choice: z.unknown(),
    tools: z.array(z.unknown()),
    top_logprobs: z.number().int(),
    top_p: z.number().nullable(),
    truncation: z.enum(['auto', 'disabled']),
    usage: responseUsageSchema.nullable(),
    user: z.string().optional(),
  })
  .meta({ id: 'Response' });

export const inputItemListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(z.record(z.string(), z.unknown())),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
    has_more: z.boolean(),
  })
  .meta({ id: 'ResponseInputItemList' });

export const deletedResponseSchema = z
  .object({ id: z.string(), object: z.literal('response'), deleted: z.literal(true) })
  .meta({ id: 'DeletedResponse' });
