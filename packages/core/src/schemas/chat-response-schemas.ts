import { z } from 'zod';
import type { ChatCompletion, ChatCompletionChunk } from './chat-response.ts';
import { toolCallSchema } from './resource-schemas.ts';

/** The `chat.completion` and `chat.completion.chunk` objects of chat-response.ts, as zod schemas (for OpenAPI). */

const finishReason = z.enum(['stop', 'length', 'tool_calls', 'function_call', 'content_filter']);
const functionCall = z.object({ name: z.string(), arguments: z.string() });
/** What a completion and each of its chunks carry alike, after `id` and `object`. */
const envelope = { created: z.number().int(), model: z.string(), system_fingerprint: z.string().nullable() };

export const usageSchema = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().int() }).optional(),
  })
  .meta({ id: 'Usage', description: 'Tokens of every upstream call of the turn.' });

export const chatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    ...envelope,
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          refusal: z.string().nullable(),
          tool_calls: z.array(toolCallSchema).optional(),
          function_call: functionCall.optional(),
        }),
        finish_reason: finishReason,
        logprobs: z.null(),
      }),
    ),
    usage: usageSchema,
  })
  .meta({ id: 'ChatCompletion' });

export const chatCompletionChunkSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion.chunk'),
    ...envelope,
    choices: z.array(
      z.object({
        index: z.number().int(),
        delta: z.object({
          role: z.literal('assistant').optional(),
          content: z.string().nullable().optional(),
          refusal: z.string().nullable().optional(),
          tool_calls: z
            .array(
              z.object({
                index: z.number().int(),
                id: z.string().optional(),
                type: z.literal('function').optional(),
                function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
              }),
            )
            .optional(),
          function_call: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
        }),
        finish_reason: finishReason.nullable(),
        logprobs: z.null(),
      }),
    ),
    usage: usageSchema.nullable().optional(),
  })
  .meta({ id: 'ChatCompletionChunk', description: 'One event of a streamed completion (`stream: true`).' });

// The schemas and the interfaces every protocol uses must not drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const completionMatches: Same<z.output<typeof chatCompletionSchema>, ChatCompletion> = true;
const chunkMatches: Same<z.output<typeof chatCompletionChunkSchema>, ChatCompletionChunk> = true;
void completionMatches;
void chunkMatches;
