import { z } from 'zod';
import { textContentSchema, textPartSchema, userContentSchema } from './content-part-schemas.ts';

/** `null` from SDKs that send explicit nulls means "not given". */
const optional = <Schema extends z.ZodType>(schema: Schema) =>
  schema.nullish().transform((value) => value ?? undefined);

/** Assistant content is history the agent already keeps: any part OpenAI knows is accepted, never stored. */
const content = z.union([
  z.string(),
  z.array(
    z.union([textPartSchema, z.object({ type: z.enum(['image_url', 'input_audio', 'file', 'refusal']) }).loose()]),
  ),
]);

const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string(), arguments: z.string() }).loose(),
});

export const systemMessageSchema = z.strictObject({
  role: z.enum(['system', 'developer']),
  content: textContentSchema,
  name: optional(z.string()),
});
export const userMessageSchema = z.strictObject({
  role: z.literal('user'),
  content: userContentSchema,
  name: optional(z.string()),
});
/** Assistant messages are history the agent already keeps: accepted loosely, never stored. */
export const assistantMessageSchema = z
  .object({
    role: z.literal('assistant'),
    content: optional(z.union([content, z.null()])),
    tool_calls: optional(z.array(toolCallSchema)),
    function_call: optional(z.object({ name: z.string(), arguments: z.string() }).loose()),
  })
  .loose();
export const toolMessageSchema = z.strictObject({
  role: z.literal('tool'),
  content: textContentSchema,
  tool_call_id: z.string().min(1),
});
/** Legacy function result (`functions`/`function_call` clients). */
export const functionMessageSchema = z.strictObject({
  role: z.literal('function'),
  name: z.string().min(1),
  content: z.union([z.string(), z.null()]),
});

export const chatMessageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
  functionMessageSchema,
]);

const functionDefinition = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'Function names must be 1-64 characters of a-z, A-Z, 0-9, _ and -.'),
  description: optional(z.string()),
  parameters: optional(z.record(z.string(), z.unknown())),
  strict: optional(z.boolean()),
});

const toolDefinition = z.strictObject({ type: z.literal('function'), function: functionDefinition });

const namedToolChoice = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({ name: z.string() }),
});

const penalty = z.number().min(-2).max(2);

/**
 * The OpenAI Chat Completions request as the seed describes it, plus the newer fields clients
 * send. Strict: an unknown argument is refused (422), never silently ignored.
 */
export const chatCompletionRequestSchema = z.strictObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  frequency_penalty: optional(penalty),
  presence_penalty: optional(penalty),
  logit_bias: optional(
    z.record(z.string().regex(/^\d+$/, 'logit_bias keys are token ids.'), z.number().min(-100).max(100)),
  ),
  logprobs: optional(z.boolean()),
  top_logprobs: optional(z.number().int().min(0).max(20)),
  max_tokens: optional(z.number().int().min(1)),
  max_completion_tokens: optional(z.number().int().min(1)),
  n: optional(z.number().int().min(1).max(128)),
  response_format: optional(
    z.object({ type: z.enum(['text', 'json_object', 'json_schema']), json_schema: z.unknown().optional() }).strict(),
  ),
  seed: optional(z.number().int()),
  stop: optional(z.union([z.string(), z.array(z.string()).max(4)])),
  stream: optional(z.boolean()),
  stream_options: optional(
    z.strictObject({ include_usage: optional(z.boolean()), include_obfuscation: optional(z.boolean()) }),
  ),
  temperature: optional(z.number().min(0).max(2)),
  top_p: optional(z.number().min(0).max(1)),
  user: optional(z.string()),
  tools: optional(z.array(toolDefinition)),
  tool_choice: optional(z.union([z.enum(['none', 'auto', 'required']), namedToolChoice])),
  parallel_tool_calls: optional(z.boolean()),
  functions: optional(z.array(functionDefinition)),
  function_call: optional(z.union([z.enum(['none', 'auto']), z.strictObject({ name: z.string() })])),
});

export type ChatCompletionRequest = z.output<typeof chatCompletionRequestSchema>;
export type ChatMessageInput = z.output<typeof chatMessageSchema>;
