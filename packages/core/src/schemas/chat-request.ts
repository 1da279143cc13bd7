import { z } from 'zod';
import { textContentSchema, userContentSchema } from './content-part-schemas.ts';
import { boundedJsonObject, hasNul, NUL_MESSAGE, storedText } from './json-limits.ts';

/** `null` from SDKs that send explicit nulls means "not given". */
const optional = <Schema extends z.ZodType>(schema: Schema) =>
  schema.nullish().transform((value) => value ?? undefined);

/**
 * Assistant content is history the agent already keeps: any part OpenAI knows is accepted, never
 * stored (so it may hold what a model wrote, NUL characters included).
 */
const content = z.union([
  z.string(),
  z.array(
    z.union([
      z.strictObject({ type: z.literal('text'), text: z.string() }),
      z.object({ type: z.enum(['image_url', 'input_audio', 'file', 'refusal']) }).loose(),
    ]),
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
  name: optional(storedText()),
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
  tool_call_id: storedText().min(1),
  /** Not in OpenAI's type, but accepted by its API and always sent by LangChain: the tool's name. */
  name: optional(storedText()),
});
/** Legacy function result (`functions`/`function_call` clients). */
export const functionMessageSchema = z.strictObject({
  role: z.literal('function'),
  name: storedText().min(1),
  content: z.union([storedText(), z.null()]),
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
  parameters: optional(boundedJsonObject()),
  strict: optional(z.boolean()),
});

const functionTool = z.strictObject({ type: z.literal('function'), function: functionDefinition });
/** OpenAI's custom (free-form input) tools: recognised so that the refusal can say why. */
const customTool = z.object({ type: z.literal('custom'), custom: z.object({ name: z.string() }).loose() }).loose();
const toolDefinition = z.discriminatedUnion('type', [functionTool, customTool]);

const namedToolChoice = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({ name: z.string() }),
});
/** `allowed_tools` and a named custom tool: recognised so that the refusal can say why. */
const otherToolChoice = z.object({ type: z.enum(['allowed_tools', 'custom']) }).loose();

/** OpenAI's metadata: at most 16 pairs, keys up to 64 characters, values up to 512. */
export const metadataSchema = z
  .record(z.string(), storedText().max(512, 'Metadata values are at most 512 characters.'))
  .superRefine((metadata, context) => {
    const keys = Object.keys(metadata);
    if (keys.length > 16) context.addIssue({ code: 'custom', message: 'metadata holds at most 16 key-value pairs.' });
    for (const key of keys) {
      if (key.length < 1 || key.length > 64) {
        context.addIssue({ code: 'custom', path: [key], message: 'Metadata keys are 1 to 64 characters.' });
      } else if (hasNul(key)) {
        context.addIssue({ code: 'custom', path: [key], message: NUL_MESSAGE });
      }
    }
  });

/** OpenAI's `response_format`; the schema itself is compiled (and refused if malformed) by the core. */
const responseFormatSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z
        .string()
        .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'Schema names must be 1-64 characters of a-z, A-Z, 0-9, _ and -.'),
      description: optional(z.string()),
      schema: optional(boundedJsonObject()),
      strict: optional(z.boolean()),
    }),
  }),
]);

const penalty = z.number().min(-2).max(2);

/**
 * Every field of today's OpenAI Chat Completions request. Each is honoured or refused with a 422
 * that says why (request-checks.ts); only fields OpenAI does not know are "Unrecognized".
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
  response_format: optional(responseFormatSchema),
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
  tool_choice: optional(z.union([z.enum(['none', 'auto', 'required']), namedToolChoice, otherToolChoice])),
  parallel_tool_calls: optional(z.boolean()),
  functions: optional(z.array(functionDefinition)),
  function_call: optional(z.union([z.enum(['none', 'auto']), z.strictObject({ name: z.string() })])),
  /** Kept with the turn's stored messages. */
  metadata: optional(metadataSchema),
  /** `false` runs an ephemeral turn: the agent reads its memory and history, and nothing is written. */
  store: optional(z.boolean()),
  modalities: optional(z.array(z.enum(['text', 'audio'])).min(1)),
  // Forwarded on every upstream call of the turn.
  reasoning_effort: optional(z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'])),
  verbosity: optional(z.enum(['low', 'medium', 'high'])),
  service_tier: optional(z.enum(['auto', 'default', 'flex', 'scale', 'priority', 'fast'])),
  prompt_cache_key: optional(z.string().min(1).max(1024)),
  prompt_cache_retention: optional(z.enum(['in_memory', '24h'])),
  prompt_cache_options: optional(
    z.strictObject({ mode: optional(z.enum(['implicit', 'explicit'])), ttl: optional(z.literal('30m')) }),
  ),
  safety_identifier: optional(z.string().min(1).max(64, 'safety_identifier is at most 64 characters.')),
  // Recognised so that the refusal can say why (see request-checks.ts).
  audio: optional(z.object({}).loose()),
  prediction: optional(z.object({}).loose()),
  web_search_options: optional(z.object({}).loose()),
  moderation: optional(z.object({}).loose()),
});

export type ChatCompletionRequest = z.output<typeof chatCompletionRequestSchema>;
/** The request as a client sends it. */
export type ChatCompletionRequestInput = z.input<typeof chatCompletionRequestSchema>;
export type ChatMessageInput = z.output<typeof chatMessageSchema>;
