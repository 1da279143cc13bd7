/**
 * The GraphQL schema of contract §7. Fields may be added (each addition is marked), none renamed:
 * the types mirror the REST objects field for field, in camelCase.
 */
export const typeDefs = /* GraphQL */ `
  scalar JSON
  enum ChatRole {
    system
    developer
    user
    assistant
    tool
  }

  input MessageInput {
    role: ChatRole!
    content: String
    "Added: the content as OpenAI content parts (text and image_url), for a user message with images; instead of content."
    contentParts: JSON
    name: String
    toolCallId: String
    toolCalls: JSON
  }
  "Added: asks a stream for the last chunk with choices [] and the usage, as stream_options does on REST."
  input StreamOptionsInput {
    includeUsage: Boolean
  }
  input ChatCompletionInput {
    "The agent (REST: user)."
    agentId: ID!
    "Added: the conversation of the agent to continue; default its default conversation (REST: the X-Memgate-Conversation header)."
    conversationId: ID
    "Defaults to the agent's own model."
    model: String
    messages: [MessageInput!]!
    temperature: Float
    topP: Float
    maxTokens: Int
    maxCompletionTokens: Int
    stop: [String!]
    seed: Int
    presencePenalty: Float
    frequencyPenalty: Float
    tools: JSON
    toolChoice: JSON
    "Added: passed to every upstream call of the turn, as on REST."
    logitBias: JSON
    "Added."
    parallelToolCalls: Boolean
    "Added: used by chatCompletionStream only."
    streamOptions: StreamOptionsInput
    "Up to 16 string pairs, kept with the messages the turn stores (REST: metadata)."
    metadata: JSON
    "false runs an ephemeral turn: the agent reads its memory and history, and nothing is written (REST: store)."
    store: Boolean
    "Only text is supported (REST: modalities)."
    modalities: [String!]
    "Forwarded to every upstream call of the turn, as on REST (reasoning_effort)."
    reasoningEffort: String
    "Forwarded (verbosity)."
    verbosity: String
    "Forwarded (service_tier)."
    serviceTier: String
    "Forwarded (prompt_cache_key); defaults to the agent id."
    promptCacheKey: String
    "Forwarded (prompt_cache_retention)."
    promptCacheRetention: String
    "Forwarded (prompt_cache_options)."
    promptCacheOptions: JSON
    "Forwarded (safety_identifier)."
    safetyIdentifier: String
    "Added: OpenAI response_format as sent on REST (json_object, or json_schema with name, schema, strict)."
    responseFormat: JSON
  }
  "Added."
  input ConversationInput {
    name: String
    "Up to 16 string pairs."
    metadata: JSON
  }
  input CreateAgentInput {
    name: String
    model: String
    system: String
    persona: String
    human: String
    contextWindow: Int
    "Added: the agent's own blocks (default: persona and human)."
    memoryBlocks: [BlockInput!]
    "Added: existing blocks of yours to attach (shared blocks)."
    blockIds: [ID!]
    "Added."
    tags: [String!]
    "Added: up to 16 string pairs."
    metadata: JSON
    "Added: the model of its summaries (null: its model)."
    summaryModel: String
    "Added: the model of its archival embeddings (null: the server's)."
    embeddingModel: String
    "Added: tried in order when a call fails before any byte of the reply was sent."
    fallbackModels: [String!]
    "Added: upstream calls per turn at most (never above the server's)."
    maxStepsPerTurn: Int
    "Added: tokens over a turn's calls after which no further call is made."
    maxTokensPerTurn: Int
  }
  "Added: a memory block to create."
  input BlockInput {
    "1 to 64 characters of a-z, 0-9, _ and -; unique per agent."
    label: String!
    value: String
    "Largest value, in characters (default 5000)."
    limit: Int
    "What the block is for; shown to the agent with the block."
    description: String
    "The agent's memory tools may not write it."
    readOnly: Boolean
    "Up to 16 string pairs (createBlock only)."
    metadata: JSON
  }
  "Added: absent fields stay."
  input UpdateAgentInput {
    name: String
    model: String
    system: String
    contextWindow: Int
    tags: [String!]
    "Null clears it."
    metadata: JSON
    "Added: the model of its summaries (null: its model; null resets it)."
    summaryModel: String
    "Added: the model of its archival embeddings (null: the server's)."
    embeddingModel: String
    "Added: tried in order when a call fails before any byte of the reply was sent."
    fallbackModels: [String!]
    "Added: upstream calls per turn at most (never above the server's)."
    maxStepsPerTurn: Int
    "Added: tokens over a turn's calls after which no further call is made."
    maxTokensPerTurn: Int
  }
  "Added: absent fields stay; a null description or metadata clears it."
  input UpdateBlockInput {
    label: String
    value: String
    limit: Int
    description: String
    readOnly: Boolean
    metadata: JSON
    "The version the edit was made from: a newer one is a CONFLICT instead of a lost edit."
    version: Int
  }

  type FunctionCall {
    name: String
    arguments: String
  }
  type ToolCall {
    index: Int
    id: String
    type: String
    function: FunctionCall
  }
  type ChatMessage {
    role: ChatRole!
    content: String
    toolCalls: [ToolCall!]
    "Added."
    refusal: String
  }
  type Usage {
    promptTokens: Int!
    completionTokens: Int!
    totalTokens: Int!
    "Present when the upstream reported prompt tokens served from its cache (REST: prompt_tokens_details)."
    promptTokensDetails: PromptTokensDetails
  }
  type PromptTokensDetails {
    cachedTokens: Int!
  }
  type Choice {
    index: Int!
    message: ChatMessage!
    finishReason: String
    "Added: why the turn stopped before the agent answered (finishReason length); REST: stop_reason."
    stopReason: StopReason
  }
  "Added: a per-turn limit or a budget that ended a turn."
  type StopReason {
    "max_steps_per_turn, max_tokens_per_turn or budget_exceeded."
    code: String!
    message: String!
  }
  type ChatCompletion {
    id: ID!
    object: String!
    created: Float!
    model: String!
    choices: [Choice!]!
    usage: Usage
    "Added."
    systemFingerprint: String
  }
  type ChunkDelta {
    role: ChatRole
    content: String
    toolCalls: [ToolCall!]
    "Added."
    refusal: String
  }
  type ChunkChoice {
    index: Int!
    delta: ChunkDelta!
    finishReason: String
    "Added: on the chunk with finishReason, as on Choice."
    stopReason: StopReason
  }
  type ChatCompletionChunk {
    id: ID!
    object: String!
    created: Float!
    model: String!
    choices: [ChunkChoice!]!
    usage: Usage
    "Added."
    systemFingerprint: String
  }

  type MemoryBlock {
    label: String!
    value: String!
    limit: Int!
    "Added: the block's id (Block in blocks/block)."
    id: ID
    "Added."
    description: String
    "Added."
    readOnly: Boolean!
    "Added: grows by one with every write."
    version: Int
  }
  "How a usage report sums the calls: per agent, API key, model or UTC day."
  enum UsageGroupBy {
    agent
    key
    model
    day
  }
  "Sums over upstream calls (turn steps, summaries, embeddings; failed ones too)."
  type UsageTotals {
    calls: Int!
    "Distinct turns the calls were made for; calls outside a turn (an archival request's embedding) count none."
    turns: Int!
    failedCalls: Int!
    promptTokens: Int!
    "Prompt tokens served from the upstream's cache (part of promptTokens)."
    cachedTokens: Int!
    completionTokens: Int!
    totalTokens: Int!
    "From the models' prices; calls of models without prices add nothing."
    costUsd: Float!
  }
  "One group: key is the agent id, key id, model or day (YYYY-MM-DD); null for calls with none."
  type UsageGroup {
    key: String
    calls: Int!
    "Distinct turns of the group's calls: a turn whose calls fall in two groups counts in each."
    turns: Int!
    failedCalls: Int!
    promptTokens: Int!
    cachedTokens: Int!
    completionTokens: Int!
    totalTokens: Int!
    costUsd: Float!
  }
  "Added: a spending cap over a calendar period (UTC): usd or tokens."
  type Budget {
    usd: Float
    tokens: Float
    "day or month"
    period: String!
  }
  "Added: limits of a user or an API key; null fields limit nothing."
  type LimitSet {
    rpm: Int
    tpm: Int
    maxConcurrentTurns: Int
    budget: Budget
    exempt: Boolean!
  }
  type BudgetSpent {
    usd: Float!
    tokens: Float!
    periodStart: String!
  }
  type LimitConsumption {
    requestsLastMinute: Int!
    tokensLastMinute: Int!
    concurrentTurns: Int!
    "Null without a budget."
    budgetSpent: BudgetSpent
  }
  type EffectiveLimits {
    "own, default (the server's, users only) or none."
    source: String!
    limits: LimitSet!
    consumption: LimitConsumption!
  }
  "Added: your effective limits and what you used of them (REST: GET /v1/limits)."
  type CallerLimits {
    "True: no limit applies to you."
    exempt: Boolean!
    userId: ID!
    user: EffectiveLimits!
    "The key you called with; null (with key) for a caller without one."
    keyId: ID
    key: EffectiveLimits
  }
  type UsageReport {
    groupBy: UsageGroupBy!
    "ISO 8601, inclusive."
    from: String!
    "ISO 8601, exclusive."
    to: String!
    groups: [UsageGroup!]!
    totals: UsageTotals!
  }
  "Added: a memory block as its own entity, attachable to several agents."
  type Block {
    id: ID!
    object: String!
    label: String!
    value: String!
    limit: Int!
    description: String
    readOnly: Boolean!
    version: Int!
    metadata: JSON
    "The agents it is attached to."
    agentIds: [ID!]!
    createdAt: String!
    updatedAt: String!
    "Every write, newest first (REST: GET /v1/blocks/{id}/history)."
    history(limit: Int, before: Int): [BlockHistoryEntry!]!
  }
  "Added: one write of a block."
  type BlockHistoryEntry {
    version: Int!
    value: String!
    "agent, user or import."
    actor: String!
    agentId: ID
    messageId: ID
    at: String!
  }
  type Agent {
    id: ID!
    name: String!
    model: String!
    createdAt: String!
    memory: [MemoryBlock!]!
    "Added."
    object: String!
    "Added."
    system: String!
    "Added."
    contextWindow: Int!
    "Added."
    tags: [String!]!
    "Added."
    metadata: JSON
    "Added: the model of its summaries; null: its model."
    summaryModel: String
    "Added: the model of its archival embeddings; null: the server's."
    embeddingModel: String
    "Added: tried in order when a call fails before any byte of the reply was sent."
    fallbackModels: [String!]!
    "Added: upstream calls per turn at most; null: the server's."
    maxStepsPerTurn: Int
    "Added: tokens over a turn's calls after which no further call is made; null: none."
    maxTokensPerTurn: Int
    "Added: the agent's conversations, oldest (the default one) first (REST: GET /v1/agents/{id}/conversations)."
    conversations(limit: Int, before: ID): [Conversation!]!
  }
  "Added: a thread of an agent, with its own message window; memory is shared by all of them."
  type Conversation {
    id: ID!
    object: String!
    agentId: ID!
    name: String
    metadata: JSON
    "The agent's default conversation (its id is the agent's): where turns that name none go."
    isDefault: Boolean!
    createdAt: String!
    updatedAt: String!
  }
  type AgentMessage {
    id: ID!
    role: ChatRole!
    content: String
    toolCalls: JSON
    toolCallId: String
    createdAt: String!
    "Added: the tool name of tool messages, the sender name of user messages."
    name: String
    "The metadata of the request whose turn stored the message (REST: metadata)."
    metadata: JSON
    "Added: for a user message with images, its parts as sent (text and image_url); null otherwise."
    contentParts: JSON
    "Added: the conversation the message belongs to (the agent's id for its default conversation)."
    conversationId: ID!
    "Added: true on a message a rewind hid (listed only with includeHidden)."
    hidden: Boolean!
  }
  "Added: what rewindConversation did."
  type ConversationRewind {
    conversation: Conversation!
    "How many messages it hid."
    hidden: Int!
  }
  "Added: what restoreConversation did."
  type ConversationRestore {
    conversation: Conversation!
    "How many hidden messages came back."
    restored: Int!
  }
  """
  type "subscribed" (message null) comes first, once the subscription is live; then one
  "message.created" per stored message, and (added) one "block.updated" per write of one of the
  agent's memory blocks, whoever made it.
  """
  type AgentEvent {
    type: String!
    agentId: ID!
    "Added: the conversation of the message; null for subscribed and block.updated."
    conversationId: ID
    message: AgentMessage
    "Added: the block as written (block.updated)."
    block: MemoryBlock
    "Added: who wrote it (block.updated): agent, user or import."
    actor: String
    "Added: the agent whose turn wrote it (block.updated by an agent sharing the block, or this one)."
    byAgentId: ID
  }

  type Query {
    agents: [Agent!]!
    "The caller's agent; an unknown one (or another user's) is null with a NOT_FOUND error."
    agent(id: ID!): Agent
    """
    The stored history of the agent's default conversation, or (added) of conversationId, oldest first;
    (added) with includeHidden, the messages a rewind hid too.
    """
    messages(agentId: ID!, limit: Int, before: ID, conversationId: ID, includeHidden: Boolean): [AgentMessage!]!
    "Added: one conversation of the agent; an unknown one is null with a NOT_FOUND error."
    conversation(agentId: ID!, id: ID!): Conversation
    "Added: your memory blocks, oldest first (REST: GET /v1/blocks)."
    blocks(limit: Int, before: ID, label: String): [Block!]!
    "Added: one of your blocks; an unknown one is null with a NOT_FOUND error."
    block(id: ID!): Block
    """
    Added: what your upstream calls cost over [from, to) (ISO 8601 dates or date-times; default: the last 30
    days), grouped (default: by day). REST: GET /v1/usage.
    """
    usage(groupBy: UsageGroupBy, from: String, to: String): UsageReport!
    "Added: your limits (your user's and your key's) and what you used of them. REST: GET /v1/limits."
    limits: CallerLimits!
  }
  type Mutation {
    createAgent(input: CreateAgentInput!): Agent!
    deleteAgent(id: ID!): Boolean!
    "Added: changes the agent's settings (REST: PATCH /v1/agents/{id})."
    updateAgent(id: ID!, input: UpdateAgentInput!): Agent!
    """
    Added: writes the agent's block with this label (REST: PUT /v1/agents/{id}/memory/{label}).
    Added: with version, as updateAgentBlock: a block written since then is a CONFLICT.
    """
    updateMemory(agentId: ID!, label: String!, value: String!, version: Int): MemoryBlock!
    "Added (REST: POST /v1/blocks)."
    createBlock(input: BlockInput!): Block!
    "Added: every agent it is attached to sees the change on its next step (REST: PATCH /v1/blocks/{id})."
    updateBlock(id: ID!, input: UpdateBlockInput!): Block!
    "Added: a block still attached to agents is a CONFLICT unless force is true (REST: DELETE /v1/blocks/{id})."
    deleteBlock(id: ID!, force: Boolean): Boolean!
    "Added (REST: PUT /v1/agents/{agentId}/blocks/{blockId})."
    attachBlock(agentId: ID!, blockId: ID!): Agent!
    "Added: the block stays (REST: DELETE /v1/agents/{agentId}/blocks/{blockId})."
    detachBlock(agentId: ID!, blockId: ID!): Boolean!
    createChatCompletion(input: ChatCompletionInput!): ChatCompletion!
    "Added."
    createConversation(agentId: ID!, input: ConversationInput): Conversation!
    "Added: a null field clears it, an absent one stays."
    updateConversation(agentId: ID!, id: ID!, input: ConversationInput!): Conversation!
    "Added: deletes it with its messages; the default conversation cannot be deleted (CONFLICT)."
    deleteConversation(agentId: ID!, id: ID!): Boolean!
    """
    Added: a new conversation with a copy of this one's history through atMessageId (all of it when
    null); memory is shared, not copied (REST: POST …/conversations/{id}/fork).
    """
    forkConversation(agentId: ID!, id: ID!, atMessageId: ID, input: ConversationInput): Conversation!
    "Added: hides the messages after toMessageId from the window and from search; they are kept."
    rewindConversation(agentId: ID!, id: ID!, toMessageId: ID!): ConversationRewind!
    "Added: brings back every hidden message of the conversation."
    restoreConversation(agentId: ID!, id: ID!): ConversationRestore!
  }
  type Subscription {
    chatCompletionStream(input: ChatCompletionInput!): ChatCompletionChunk!
    agentEvents(agentId: ID!): AgentEvent!
  }
`;
