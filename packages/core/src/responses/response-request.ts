import { z } from 'zod';
import { metadataSchema } from '../schemas/chat-request.ts';

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
 * OpenAI's Responses request, as memgate reads it. Fields it does not act on (`include`,
 * `prompt_cache_key`, `service_tier`, `stream_options`…) are accepted and ignored, as the SDKs send
 * some of them by default; the ones it cannot honour are refused with a reason (response-checks).
 */
export const responseRequestSchema = z.object({
  model: optional(z.string().min(1)),
  input: z.union([z.string(), z.array(inputItemSchema)]),
  instructions: optional(z.string()),
  previous_response_id: optional(z.string().min(1)),
  conversation: optional(z.union([z.string().min(1), z.object({ id: z.string().min(1) })])),
  tools: optional(z.array(toolSchema)),
  tool_choice: optional(toolChoiceSchema),
  parallel_tool_calls: optional(z.boolean()),
  max_output_tokens: optional(z.number().int().min(1)),
  temperature: optional(z.number().min(0).max(2)),
  top_p: optional(z.number().min(0).max(1)),
  text: optional(z.object({ format: optional(textFormatSchema), verbosity: optional(z.string()) }).loose()),
  store: optional(z.boolean()),
  metadata: optional(metadataSchema),
  truncation: optional(z.enum(['auto', 'disabled'])),
  stream: optional(z.boolean()),
  background: optional(z.boolean()),
  user: optional(z.string()),
  reasoning: optional(z.object({ effort: optional(z.string()) }).loose()),
});

export type ResponseRequest = z.infer<typeof responseRequestSchema>;
export type ResponseInputItem = z.infer<typeof inputItemSchema>;
