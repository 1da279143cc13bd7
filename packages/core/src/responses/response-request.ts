import { z } from 'zod';
import { chatCompletionRequestSchema, metadataSchema } from '../schemas/chat-request.ts';

const optional = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const inputTextPart = z.object({ type: z.literal('input_text'), text: z.string() });
const inputImagePart = z.object({
  type: z.literal('input_image'),
  image_url: optional(z.string()),
  file_id: optional(z.string()),
  detail: optional(z.enum(['low', 'high', 'auto', 'original'])),
});
const outputTextPart = z.object({ type: z.literal('output_text'), text: z.string() }).loose();
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });
/** Other part types (input_file, input_audio…) are refused where they are converted, with the reason. */
const otherPart = z.object({ type: z.string() }).loose();
const contentPart = z.union([inputTextPart, inputImagePart, outputTextPart, refusalPart, otherPart]);

export const messageItemSchema = z.object({
  type: z.literal('message').optional(),
  id: optional(z.string()),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(contentPart)]),
  status: optional(z.string()),
});

export const functionCallItemSchema = z.object({
  type: z.literal('function_call'),
  id: optional(z.string()),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  status: optional(z.string()),
});

export const functionCallOutputItemSchema = z.object({
  type: z.literal('function_call_output'),
  id: optional(z.string()),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(contentPart)]),
  status: optional(z.string()),
});

const itemReferenceSchema = z.object({ type: z.literal('item_reference'), id: z.string().min(1) });

const KNOWN_ITEM_TYPES = new Set(['message', 'function_call', 'function_call_output', 'item_reference']);
/**
 * Any other item type (reasoning, web_search_call…): read here so that it is refused with its type
 * named (response-input.ts); a known type with bad fields fails its own schema instead.
 */
const otherItemSchema = z
  .object({ type: z.string().refine((type) => !KNOWN_ITEM_TYPES.has(type), 'Invalid fields for this item type.') })
  .loose();

export const inputItemSchema = z.union([
  messageItemSchema,
  functionCallItemSchema,
  functionCallOutputItemSchema,
  itemReferenceSchema,
  otherItemSchema,
]);

export const functionToolSchema = z.object({
  type: z.literal('function'),
  name: z.string(),
  description: optional(z.string()),
  parameters: optional(z.record(z.string(), z.unknown())),
  strict: optional(z.boolean()),
});

const toolSchema = z.union([functionToolSchema, z.object({ type: z.string() }).loose()]);

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), name: z.string() }),
  z.object({ type: z.string() }).loose(),
]);

const textFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string(),
    schema: z.record(z.string(), z.unknown()),
    description: optional(z.string()),
    strict: optional(z.boolean()),
  }),
]);

/**
 * Every field of today's OpenAI Responses request, as on Chat Completions: each is honoured,
 * forwarded upstream, or refused with the reason (response-checks.ts); only fields OpenAI does not
 * know are "Unrecognized". A few are honoured by having nothing to do in memgate: `include` and
 * `max_tool_calls` concern hosted tools and reasoning items, which a memgate turn has none of;
 * `truncation` and `context_management` ask for context handling, which memgate always does
 * (summaries and recall); `stream_options.include_obfuscation` pads events against a side channel
 * OpenAI's network has.
 */
export const responseRequestSchema = z.strictObject({
  model: optional(z.string().min(1)),
  input: z.union([z.string(), z.array(inputItemSchema)]),
  instructions: optional(z.string()),
  previous_response_id: optional(z.string().min(1)),
  conversation: optional(z.union([z.string().min(1), z.object({ id: z.string().min(1) })])),
  tools: optional(z.array(toolSchema)),
  tool_choice: optional(toolChoiceSchema),
  parallel_tool_calls: optional(z.boolean()),
  max_output_tokens: optional(z.number().int().min(1)),
  max_tool_calls: optional(z.number().int().min(0)),
  temperature: optional(z.number().min(0).max(2)),
  top_p: optional(z.number().min(0).max(1)),
  top_logprobs: optional(z.number().int().min(0).max(20)),
  text: optional(
    z.strictObject({
      format: optional(textFormatSchema),
      verbosity: optional(chatCompletionRequestSchema.shape.verbosity),
    }),
  ),
  store: optional(z.boolean()),
  metadata: optional(metadataSchema),
  truncation: optional(z.enum(['auto', 'disabled'])),
  context_management: optional(z.array(z.object({ type: z.string() }).loose())),
  stream: optional(z.boolean()),
  stream_options: optional(z.strictObject({ include_obfuscation: optional(z.boolean()) })),
  background: optional(z.boolean()),
  background_options: optional(z.object({}).loose()),
  user: optional(z.string()),
  include: optional(z.array(z.string())),
  reasoning: optional(
    z.strictObject({
      effort: optional(chatCompletionRequestSchema.shape.reasoning_effort),
      summary: optional(z.enum(['auto', 'concise', 'detailed'])),
      generate_summary: optional(z.enum(['auto', 'concise', 'detailed'])),
    }),
  ),
  // Forwarded on every upstream call of the turn, as on Chat Completions.
  service_tier: optional(chatCompletionRequestSchema.shape.service_tier),
  prompt_cache_key: optional(chatCompletionRequestSchema.shape.prompt_cache_key),
  prompt_cache_retention: optional(chatCompletionRequestSchema.shape.prompt_cache_retention),
  prompt_cache_options: optional(
    z.strictObject({
      mode: optional(z.enum(['implicit', 'explicit'])),
      ttl: optional(z.literal('30m')),
      comparison_response_id: optional(z.string()),
    }),
  ),
  safety_identifier: optional(chatCompletionRequestSchema.shape.safety_identifier),
  // Recognised so that the refusal can say why (response-checks.ts).
  prompt: optional(z.object({}).loose()),
  moderation: optional(z.object({}).loose()),
  image: optional(z.object({}).loose()),
  access_programs: optional(z.unknown()),
});

export type ResponseRequest = z.infer<typeof responseRequestSchema>;
export type ResponseInputItem = z.infer<typeof inputItemSchema>;
