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
  }
  input CreateAgentInput {
    name: String
    model: String
    system: String
    persona: String
    human: String
    contextWindow: Int
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
  }
  type Choice {
    index: Int!
    message: ChatMessage!
    finishReason: String
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
  }
  type ChunkChoice {
    index: Int!
    delta: ChunkDelta!
    finishReason: String
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
    "Added: for a user message with images, its parts as sent (text and image_url); null otherwise."
    contentParts: JSON
  }
  """
  type "subscribed" (message null) comes first, once the subscription is live; then one
  "message.created" per stored message.
  """
  type AgentEvent {
    type: String!
    agentId: ID!
    message: AgentMessage
  }

  type Query {
    agents: [Agent!]!
    "The caller's agent; an unknown one (or another user's) is null with a NOT_FOUND error."
    agent(id: ID!): Agent
    "The stored conversation, oldest first."
    messages(agentId: ID!, limit: Int, before: ID): [AgentMessage!]!
  }
  type Mutation {
    createAgent(input: CreateAgentInput!): Agent!
    deleteAgent(id: ID!): Boolean!
    createChatCompletion(input: ChatCompletionInput!): ChatCompletion!
  }
  type Subscription {
    chatCompletionStream(input: ChatCompletionInput!): ChatCompletionChunk!
    agentEvents(agentId: ID!): AgentEvent!
  }
`;
