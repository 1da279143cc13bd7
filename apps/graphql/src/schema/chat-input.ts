import { fieldError } from '@memgate/core';

/** GraphQL leaves absent nullable inputs undefined, but explicit `null`s pass through. */
type Nullable<T> = T | null | undefined;

/** `MessageInput`, as GraphQL hands it to a resolver. */
export interface MessageInput {
  role: string;
  content?: Nullable<string>;
  contentParts?: unknown;
  name?: Nullable<string>;
  toolCallId?: Nullable<string>;
  toolCalls?: unknown;
}

/** `ChatCompletionInput`, as GraphQL hands it to a resolver. */
export interface ChatCompletionInput {
  agentId: string;
  /** Not part of the body: the core takes it beside it (`ChatCallOptions.conversationId`). */
  conversationId?: Nullable<string>;
  model?: Nullable<string>;
  messages: MessageInput[];
  temperature?: Nullable<number>;
  topP?: Nullable<number>;
  maxTokens?: Nullable<number>;
  maxCompletionTokens?: Nullable<number>;
  stop?: Nullable<string[]>;
  seed?: Nullable<number>;
  presencePenalty?: Nullable<number>;
  frequencyPenalty?: Nullable<number>;
  tools?: unknown;
  toolChoice?: unknown;
  logitBias?: unknown;
  parallelToolCalls?: Nullable<boolean>;
  streamOptions?: Nullable<{ includeUsage?: Nullable<boolean> }>;
  metadata?: unknown;
  store?: Nullable<boolean>;
  modalities?: Nullable<string[]>;
  reasoningEffort?: Nullable<string>;
  verbosity?: Nullable<string>;
  serviceTier?: Nullable<string>;
  promptCacheKey?: Nullable<string>;
  promptCacheRetention?: Nullable<string>;
  promptCacheOptions?: unknown;
  safetyIdentifier?: Nullable<string>;
  responseFormat?: unknown;
}

/** `ConversationInput`, as GraphQL hands it to a resolver. */
export interface ConversationInput {
  name?: Nullable<string>;
  metadata?: unknown;
}

/**
 * The REST body of a conversation create or update: fields given as null stay null (they clear on
 * update), absent ones are left out.
 */
export function conversationBody(input: Nullable<ConversationInput>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input ?? {}).filter(([, value]) => value !== undefined));
}

/** `CreateAgentInput`, as GraphQL hands it to a resolver. */
export interface CreateAgentInput {
  name?: Nullable<string>;
  model?: Nullable<string>;
  system?: Nullable<string>;
  persona?: Nullable<string>;
  human?: Nullable<string>;
  contextWindow?: Nullable<number>;
  memoryBlocks?: Nullable<BlockInput[]>;
  blockIds?: Nullable<string[]>;
  tags?: Nullable<string[]>;
  metadata?: unknown;
  summaryModel?: Nullable<string>;
  embeddingModel?: Nullable<string>;
  fallbackModels?: Nullable<string[]>;
  maxStepsPerTurn?: Nullable<number>;
  maxTokensPerTurn?: Nullable<number>;
}

/** A block of `CreateAgentInput.memoryBlocks` and `createBlock`. */
export interface BlockInput {
  label: string;
  value?: Nullable<string>;
  limit?: Nullable<number>;
  description?: Nullable<string>;
  readOnly?: Nullable<boolean>;
  metadata?: unknown;
}

/** `updateAgent`: absent (or null) fields stay, except metadata and the settings, where null clears (resets) it. */
export interface UpdateAgentInput {
  name?: Nullable<string>;
  model?: Nullable<string>;
  system?: Nullable<string>;
  contextWindow?: Nullable<number>;
  tags?: Nullable<string[]>;
  metadata?: unknown;
  summaryModel?: Nullable<string>;
  embeddingModel?: Nullable<string>;
  fallbackModels?: Nullable<string[]>;
  maxStepsPerTurn?: Nullable<number>;
  maxTokensPerTurn?: Nullable<number>;
}

/** The REST names of the settings fields, each given as is (null resets one). */
function settingsBody(input: UpdateAgentInput | CreateAgentInput): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (input.summaryModel !== undefined) body['summary_model'] = input.summaryModel;
  if (input.embeddingModel !== undefined) body['embedding_model'] = input.embeddingModel;
  if (input.fallbackModels !== undefined && input.fallbackModels !== null)
    body['fallback_models'] = input.fallbackModels;
  if (input.maxStepsPerTurn !== undefined) body['max_steps_per_turn'] = input.maxStepsPerTurn;
  if (input.maxTokensPerTurn !== undefined) body['max_tokens_per_turn'] = input.maxTokensPerTurn;
  return body;
}

/** `updateBlock`: absent fields stay; a null description or metadata clears it. */
export interface UpdateBlockInput {
  label?: Nullable<string>;
  value?: Nullable<string>;
  limit?: Nullable<number>;
  description?: Nullable<string>;
  readOnly?: Nullable<boolean>;
  metadata?: unknown;
  version?: Nullable<number>;
}

/** The REST body of a block input (snake_case). */
export function blockBody(input: BlockInput | UpdateBlockInput): Record<string, unknown> {
  const body = present({
    label: input.label,
    value: input.value,
    limit: input.limit,
    read_only: input.readOnly,
    ...('version' in input && { version: input.version }),
  });
  // An explicit null clears these; absent leaves them.
  if (input.description !== undefined) body['description'] = input.description;
  if ('metadata' in input && input.metadata !== undefined) body['metadata'] = input.metadata;
  return body;
}

/** The REST body of `updateAgent`. */
export function updateAgentBody(input: UpdateAgentInput): Record<string, unknown> {
  const body = present({
    name: input.name,
    model: input.model,
    system: input.system,
    context_window: input.contextWindow,
    tags: input.tags,
  });
  if (input.metadata !== undefined) body['metadata'] = input.metadata;
  return { ...body, ...settingsBody(input) };
}

/**
 * Drops null and undefined fields, so the core's strict schemas see a field only when the client
 * gave it (the core would refuse an explicit `null` where it expects a value, e.g. `name` on a
 * tool message).
 */
export function present(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));
}

function messageBody(message: MessageInput, index: number): Record<string, unknown> {
  if (message.content != null && message.contentParts != null) {
    throw fieldError(['body', 'messages', index, 'contentParts'], 'Give either content or contentParts, not both.');
  }
  return present({
    role: message.role,
    content: message.contentParts ?? message.content,
    name: message.name,
    tool_call_id: message.toolCallId,
    tool_calls: message.toolCalls,
  });
}

/**
 * The REST request body (contract §4) for a GraphQL chat input: the core validates it, so
 * GraphQL reports exactly the errors REST reports. `agentId` names the agent (`user`); `model`
 * defaults to the agent id, which runs the agent's own model.
 */
export function chatRequestBody(input: ChatCompletionInput, stream: boolean): Record<string, unknown> {
  const includeUsage = input.streamOptions?.includeUsage;
  return present({
    model: input.model ?? input.agentId,
    user: input.agentId,
    messages: input.messages.map(messageBody),
    temperature: input.temperature,
    top_p: input.topP,
    max_tokens: input.maxTokens,
    max_completion_tokens: input.maxCompletionTokens,
    stop: input.stop,
    seed: input.seed,
    presence_penalty: input.presencePenalty,
    frequency_penalty: input.frequencyPenalty,
    tools: input.tools,
    tool_choice: input.toolChoice,
    logit_bias: input.logitBias,
    parallel_tool_calls: input.parallelToolCalls,
    metadata: input.metadata,
    store: input.store,
    modalities: input.modalities,
    reasoning_effort: input.reasoningEffort,
    verbosity: input.verbosity,
    service_tier: input.serviceTier,
    prompt_cache_key: input.promptCacheKey,
    prompt_cache_retention: input.promptCacheRetention,
    prompt_cache_options: input.promptCacheOptions,
    safety_identifier: input.safetyIdentifier,
    response_format: input.responseFormat,
    stream: stream ? true : undefined,
    stream_options: stream && includeUsage != null ? { include_usage: includeUsage } : undefined,
  });
}

/** The REST body of `POST /v1/agents` for a GraphQL `CreateAgentInput`. */
export function createAgentBody(input: CreateAgentInput): Record<string, unknown> {
  return present({
    name: input.name,
    model: input.model,
    system: input.system,
    persona: input.persona,
    human: input.human,
    context_window: input.contextWindow,
    memory_blocks: input.memoryBlocks?.map(blockBody),
    block_ids: input.blockIds,
    tags: input.tags,
    metadata: input.metadata,
    ...settingsBody(input),
  });
}
