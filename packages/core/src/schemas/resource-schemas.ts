import { z } from 'zod';

/**
 * The shapes memgate answers with (contract §2–§5), as zod schemas: the types of the resources are
 * derived from them, and the OpenAPI document is generated from them. `id`s name the components.
 */

const timestamp = z.string().meta({ description: 'ISO 8601 date and time.', example: '2026-01-01T12:00:00.000Z' });

export const memoryBlockSchema = z
  .object({
    id: z.string().optional().meta({ description: 'The block’s id (`block-…`), for `/v1/blocks`.' }),
    label: z.string().meta({ example: 'human' }),
    value: z.string(),
    limit: z.number().int().meta({ description: 'Largest value, in characters.' }),
    description: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'What the block is for; shown to the agent with the block.' }),
    read_only: z.boolean().optional().meta({ description: 'The agent’s memory tools may not write it.' }),
    version: z.number().int().optional().meta({
      description: 'Grows by one with every write of the block (by the agent, from any conversation, or by you).',
    }),
  })
  .meta({ id: 'MemoryBlock', description: 'One block of an agent’s core memory.' });

export const blockResourceSchema = z
  .object({
    id: z.string(),
    object: z.literal('block'),
    label: z.string(),
    value: z.string(),
    limit: z.number().int(),
    description: z.string().nullable(),
    read_only: z.boolean(),
    version: z.number().int(),
    metadata: z.record(z.string(), z.string()).nullable(),
    agent_ids: z.array(z.string()).meta({ description: 'The agents it is attached to: every one sees its edits.' }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Block', description: 'A memory block, attachable to several agents (a shared block).' });

export const blockHistoryEntrySchema = z
  .object({
    version: z.number().int(),
    value: z.string(),
    actor: z.enum(['agent', 'user', 'import']),
    agent_id: z.string().nullable().meta({ description: 'The agent whose turn wrote it (actor `agent`).' }),
    message_id: z.string().nullable().meta({ description: 'The message of the turn step that wrote it.' }),
    at: timestamp,
  })
  .meta({ id: 'BlockHistoryEntry' });

export const conversationResourceSchema = z
  .object({
    id: z.string().meta({ description: 'The conversation’s id; the agent’s id for its default conversation.' }),
    object: z.literal('conversation'),
    agent_id: z.string(),
    name: z.string().nullable(),
    metadata: z.record(z.string(), z.string()).nullable(),
    is_default: z.boolean().meta({
      description:
        'The agent’s default conversation: where requests that name no conversation go. It cannot be deleted.',
    }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({
    id: 'Conversation',
    description: 'A thread of an agent, with its own message window, summary and pending tool calls; memory is shared.',
  });

export const agentResourceSchema = z
  .object({
    id: z.string(),
    object: z.literal('agent'),
    name: z.string(),
    model: z.string().meta({ description: 'The upstream model the agent calls.' }),
    system: z.string(),
    context_window: z.number().int(),
    created_at: timestamp,
    memory: z.object({ blocks: z.array(memoryBlockSchema) }),
    tags: z.array(z.string()),
    metadata: z.record(z.string(), z.string()).nullable(),
    summary_model: z
      .string()
      .nullable()
      .meta({ description: 'The model that writes the agent’s summaries; null: its `model`.' }),
    embedding_model: z.string().nullable().meta({
      description:
        'The model that embeds its archival passages and searches; null: the server’s `MEMGATE_EMBEDDING_MODEL`.',
    }),
    fallback_models: z.array(z.string()).meta({
      description:
        'Tried in order when a call fails before any byte of the reply reached the client (429, 5xx, timeout, connection error), and, with a larger context window, when the prompt is too long.',
    }),
    max_steps_per_turn: z.number().int().nullable().meta({
      description:
        'Upstream calls per turn at most (never more than the server’s `MEMGATE_MAX_STEPS`); null: the server’s.',
    }),
    max_tokens_per_turn: z.number().int().nullable().meta({
      description: 'Tokens over a turn’s calls after which no further call is made; null: no limit.',
    }),
  })
  .meta({ id: 'Agent' });

export const toolCallSchema = z
  .object({
    id: z.string(),
    type: z.literal('function'),
    function: z.object({ name: z.string(), arguments: z.string() }),
  })
  .meta({ id: 'ToolCall' });

export const contentPartSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({
      type: z.literal('image_url'),
      image_url: z.object({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
    }),
  ])
  .meta({ id: 'ContentPart' });

export const messageResourceSchema = z
  .object({
    id: z.string(),
    role: z.enum(['user', 'assistant', 'tool', 'system']),
    content: z.union([z.string(), z.array(contentPartSchema), z.null()]).meta({
      description:
        'The text; for a user message with images, the parts it was sent with (images as URLs or data URIs).',
    }),
    tool_calls: z.array(toolCallSchema).nullable().optional(),
    tool_call_id: z.string().optional(),
    name: z.string().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    conversation_id: z.string().meta({
      description: 'The conversation the message belongs to; the agent’s id for its default conversation.',
    }),
    created_at: timestamp,
    hidden: z.boolean().optional().meta({
      description:
        'True on a message a rewind hid (listed only with `include_hidden=true`); absent on visible messages.',
    }),
  })
  .meta({ id: 'Message', description: 'A message of an agent’s history.' });

export const userResourceSchema = z
  .object({ id: z.string(), name: z.string(), created_at: timestamp })
  .meta({ id: 'User' });

const keyScope = z.enum(['full', 'read']).meta({
  description: '`full` runs turns and writes; `read` only reads agents, messages and memory (403 on the rest).',
});

export const createdApiKeySchema = z
  .object({
    id: z.string(),
    key: z.string().meta({ description: 'The key itself, shown this once.' }),
    user_id: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, as listings show it.' }),
    created_at: timestamp,
    scope: keyScope,
    expires_at: timestamp.nullable().meta({ description: 'When the key stops working; null: never.' }),
  })
  .meta({ id: 'CreatedApiKey' });

export const apiKeyResourceSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key; never the key itself.' }),
    created_at: timestamp,
    last_used_at: timestamp.nullable().meta({
      description: 'When the key last authenticated a request, updated at most once a minute; null: never.',
    }),
    expires_at: timestamp.nullable().meta({ description: 'When the key stops working; null: never.' }),
    scope: keyScope,
  })
  .meta({ id: 'ApiKey', description: 'An API key as listed: everything but its secret.' });

export const passageResourceSchema = z
  .object({
    id: z.string(),
    object: z.literal('archival_passage'),
    content: z.string(),
    embedding_model: z
      .string()
      .nullable()
      .meta({ description: 'The model that embedded it; null when it is found by text only.' }),
    created_at: timestamp,
  })
  .meta({ id: 'ArchivalPassage' });

export const passageSearchResourceSchema = z
  .object({
    object: z.literal('list'),
    query: z.string(),
    search_mode: z
      .enum(['text', 'hybrid'])
      .meta({ description: '`hybrid` when vector similarity took part, `text` when ranked by words alone.' }),
    total: z.number().int(),
    page: z.number().int(),
    pages: z.number().int(),
    page_size: z.number().int(),
    data: z.array(passageResourceSchema),
  })
  .meta({ id: 'ArchivalSearchResults' });

export const contextResourceSchema = z
  .object({
    object: z.literal('agent.context'),
    agent_id: z.string(),
    context_window: z.number().int(),
    tokens: z.object({
      system: z.number().int(),
      memory: z.number().int(),
      summary: z.number().int(),
      messages: z.number().int(),
      tools: z.number().int(),
      total: z.number().int(),
    }),
    messages_in_context: z.number().int(),
    summarised_messages: z
      .number()
      .int()
      .meta({ description: 'Messages folded into the summary so far (they stay in the history).' }),
    summary: z.string().nullable(),
    thresholds: z.object({ memory_pressure: z.number().int(), summarise: z.number().int() }).meta({
      description: 'Token counts at which the agent is warned, and at which the oldest messages are summarised.',
    }),
  })
  .meta({ id: 'AgentContext', description: 'What an agent’s next prompt is made of, in tokens.' });

export const modelEntrySchema = z
  .object({
    id: z.string(),
    object: z.literal('model'),
    created: z.number().int().meta({ description: 'Unix seconds; 0 for upstream models.' }),
    owned_by: z.string().meta({ description: '`memgate-agent` for an agent, `upstream` for an upstream model.' }),
    name: z.string().meta({ description: 'The agent’s name; the model id for upstream models.' }),
    provider: z
      .string()
      .optional()
      .meta({ description: 'Upstream models: the provider serving it (`default` is MEMGATE_LLM_*).' }),
    context_window: z
      .number()
      .int()
      .nullable()
      .optional()
      .meta({ description: 'Upstream models: tokens, from the providers file; null when unknown.' }),
    supports_tools: z.boolean().nullable().optional().meta({ description: 'Upstream models; null when unknown.' }),
    supports_vision: z.boolean().nullable().optional().meta({ description: 'Upstream models; null when unknown.' }),
    input_price: z
      .number()
      .nullable()
      .optional()
      .meta({ description: 'Upstream models: USD per million prompt tokens; null when unknown.' }),
    output_price: z
      .number()
      .nullable()
      .optional()
      .meta({ description: 'Upstream models: USD per million completion tokens; null when unknown.' }),
  })
  .meta({ id: 'Model', description: 'An agent or an upstream model, in OpenAI’s model shape.' });

export const modelListSchema = z
  .object({ object: z.literal('list'), data: z.array(modelEntrySchema) })
  .meta({ id: 'ModelList' });

/** `{ object: "list", data: [...] }`, the list shape of every collection. */
export function listSchema<Item extends z.ZodType>(item: Item, id: string) {
  return z.object({ object: z.literal('list'), data: z.array(item) }).meta({ id });
}

export const validationDetailSchema = z
  .object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })
  .meta({ id: 'ValidationDetail' });

export const errorBodySchema = z
  .object({
    detail: z
      .union([z.string(), z.array(validationDetailSchema)])
      .meta({ description: 'The message, or for a 422 one entry per invalid field.' }),
    error: z.object({
      message: z.string(),
      type: z.string().meta({ example: 'invalid_request_error' }),
      param: z.string().nullable(),
      code: z.string().nullable().meta({ example: 'unsupported_parameter' }),
      request_id: z
        .string()
        .optional()
        .meta({ description: 'The request id (also in the `x-request-id` response header and the logs).' }),
      retry_after: z.number().int().nonnegative().optional().meta({
        description:
          'Seconds to wait before retrying (every 429; also the `Retry-After` header, when headers can be sent).',
      }),
    }),
  })
  .meta({ id: 'Error', description: 'Every error: the `detail` of FastAPI-style clients and OpenAI’s `error`.' });

const upstreamReportSchema = z.union([
  z.literal('offline'),
  z.object({ reachable: z.boolean(), checked_at: z.string(), error: z.string().optional() }),
]);

const circuitsSchema = z
  .record(
    z.string(),
    z.object({
      state: z.enum(['closed', 'open', 'half_open']),
      consecutive_failures: z.number().int().nonnegative(),
      retry_at: z.string().nullable(),
    }),
  )
  .optional()
  .meta({
    description:
      "Each provider's circuit breaker on this instance (absent for the offline model); every one `open` makes the instance unavailable.",
  });

const providersReportSchema = z
  .record(z.string(), z.object({ reachable: z.boolean(), error: z.string().optional() }))
  .optional();

export const readinessSchema = z
  .union([
    z.object({
      status: z.literal('ready'),
      llm: z.string(),
      upstream: upstreamReportSchema,
      providers: providersReportSchema,
      circuits: circuitsSchema,
      node: z.string(),
    }),
    z.object({
      status: z.literal('unavailable'),
      reason: z.string(),
      upstream: upstreamReportSchema,
      providers: providersReportSchema,
      circuits: circuitsSchema,
      node: z.string(),
    }),
  ])
  .meta({ id: 'Readiness' });
