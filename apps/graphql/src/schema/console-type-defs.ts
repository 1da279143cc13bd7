/**
 * What the web console needs beyond contract §7 (issue 19), for every GraphQL frontend: archival
 * memory, history search, the context report, the model list, Agent Files, and block edits with
 * conflict detection. Each field is one REST route's core call, with its limits and errors.
 */
export const consoleTypeDefs = /* GraphQL */ `
  "An archival passage (REST: GET /v1/agents/{id}/archival)."
  type ArchivalPassage {
    id: ID!
    object: String!
    content: String!
    "The model that embedded it; null when it is found by text only."
    embeddingModel: String
    createdAt: String!
  }
  "One page of an archival search (REST: GET /v1/agents/{id}/archival/search)."
  type ArchivalSearch {
    query: String!
    "hybrid when vector similarity took part, text when ranked by words alone."
    searchMode: String!
    total: Int!
    "1-based."
    page: Int!
    "Pages the query has (0 when it found nothing)."
    pages: Int!
    pageSize: Int!
    data: [ArchivalPassage!]!
  }
  "One page of a search of the agent's history, best match first (the agent's conversation_search)."
  type MessageSearch {
    query: String!
    searchMode: String!
    total: Int!
    page: Int!
    pages: Int!
    pageSize: Int!
    data: [AgentMessage!]!
  }
  "Tokens of each section of the agent's next prompt."
  type ContextTokens {
    system: Int!
    tools: Int!
    memory: Int!
    summary: Int!
    messages: Int!
    total: Int!
  }
  "Token counts at which the agent is warned of memory pressure, and at which the oldest messages are summarised."
  type ContextThresholds {
    memoryPressure: Int!
    summarise: Int!
  }
  "What an agent's next prompt is made of, in tokens (REST: GET /v1/agents/{id}/context)."
  type AgentContext {
    object: String!
    agentId: ID!
    contextWindow: Int!
    tokens: ContextTokens!
    messagesInContext: Int!
    "Messages folded into the summary so far (they stay in the history)."
    summarisedMessages: Int!
    summary: String
    thresholds: ContextThresholds!
  }
  "An agent or an upstream model (REST: GET /v1/models)."
  type Model {
    id: ID!
    object: String!
    "Unix seconds; 0 for upstream models."
    created: Float!
    "memgate-agent for an agent, upstream for an upstream model."
    ownedBy: String!
    "The agent's name; the model id for upstream models."
    name: String
    "Upstream models: the provider serving it (default is MEMGATE_LLM_*)."
    provider: String
    "Upstream models: tokens, from the providers file; null when unknown."
    contextWindow: Int
    supportsTools: Boolean
    supportsVision: Boolean
    "Added: USD per million prompt tokens; null when unknown."
    inputPrice: Float
    "Added: USD per million completion tokens; null when unknown."
    outputPrice: Float
  }
  "What an Agent File import did, or (dryRun) would do."
  type AgentImport {
    "The file's first agent."
    agent: Agent!
    "Every agent of the file, in its order; on a dry run as they would be stored (nothing is)."
    agents: [Agent!]!
    agentIds: [ID!]!
    "Everything of the file memgate will not run, by name."
    warnings: [String!]!
    "True when nothing was stored."
    dryRun: Boolean!
  }

  extend type Query {
    """
    The agent's archival passages, oldest first: the newest limit (default 100, at most 1000), or those
    before the passage before (REST: GET /v1/agents/{id}/archival).
    """
    archivalPassages(agentId: ID!, limit: Int, before: ID): [ArchivalPassage!]!
    "Searches archival memory: query 1 to 2000 characters, page from 1, limit 1 to 100 (default 10)."
    searchArchival(agentId: ID!, query: String!, page: Int, limit: Int): ArchivalSearch!
    "Searches the agent's history, every conversation or conversationId's, with the same paging."
    searchMessages(agentId: ID!, query: String!, conversationId: ID, page: Int, limit: Int): MessageSearch!
    "The context report; an unknown agent is null with a NOT_FOUND error."
    agentContext(agentId: ID!): AgentContext
    "The caller's agents and the upstream models."
    models: [Model!]!
    """
    The agent as a Letta Agent File (.af), the document REST's GET /v1/agents/{id}/export answers.
    messages false leaves the history out; windowOnly keeps only the messages in the context window.
    """
    exportAgent(id: ID!, messages: Boolean, windowOnly: Boolean): JSON!
    "Checks an Agent File and plans its import, storing nothing (REST: POST /v1/agents/import?dry_run=true)."
    agentImportPlan(file: JSON!): AgentImport!
  }

  extend type Mutation {
    "Stores a passage (1 to 20000 characters) in the agent's archival memory, embedded when embeddings are configured."
    insertArchivalPassage(agentId: ID!, content: String!): ArchivalPassage!
    "Deletes an archival passage; an unknown one is a NOT_FOUND error."
    deleteArchivalPassage(agentId: ID!, id: ID!): Boolean!
    "Imports every agent of an Agent File, all or nothing (REST: POST /v1/agents/import)."
    importAgent(file: JSON!): AgentImport!
    """
    Added: writes one of the agent's blocks, named by label or by id (one of them). With version, a
    block written since that version is a CONFLICT (extensions.status 409, detail memory_conflict)
    and nothing changes: the current value is the agent's memory, or block(id).
    """
    updateAgentBlock(agentId: ID!, label: String, id: ID, value: String!, version: Int): MemoryBlock!
  }
`;
