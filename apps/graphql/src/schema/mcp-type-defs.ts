/** Added: MCP servers as tool sources, the same management as REST's /v1/mcp-servers. */
export const mcpTypeDefs = /* GraphQL */ `
  "Added: how memgate reaches an MCP server."
  enum McpTransport {
    streamable_http
    sse
    stdio
  }
  "Added: one tool of an MCP server, as memgate offers it (REST: GET /v1/mcp-servers/{id}/tools)."
  type McpTool {
    "The name the model sees: server__tool."
    name: String!
    "The server's own name for it."
    tool: String!
    description: String
    inputSchema: JSON
    allowed: Boolean!
    requiresApproval: Boolean!
    "False when a model cannot be given it; warning says why."
    usable: Boolean!
    warning: String
  }
  "Added: an MCP server (REST: the McpServer object). Header values are never shown, only their names."
  type McpServer {
    id: ID!
    name: String!
    transport: McpTransport!
    url: String
    headerNames: [String!]!
    allowedTools: [String!]
    "always, never, or a list of tool names."
    requireApproval: JSON!
    timeoutMs: Int!
    "api: yours; file: the operator's (read-only)."
    source: String!
    createdAt: String
    updatedAt: String
    "Its tools, live; cached for 5 minutes unless refresh is true. An unreachable server is an UPSTREAM_ERROR."
    tools(refresh: Boolean): [McpTool!]!
  }
  "Added (REST: the body of POST and PATCH /v1/mcp-servers)."
  input McpServerInput {
    name: String
    url: String
    transport: McpTransport
    "Header name to value (credentials, encrypted at rest); on update, replaces them all (null: none)."
    headers: JSON
    "Tool names the agent may use; null: all."
    allowedTools: [String!]
    "always, never, or a list of tool names."
    requireApproval: JSON
    timeoutMs: Int
  }
  "Added: one MCP attachment of an agent (REST: an entry of GET /v1/agents/{id}/tools attachments)."
  type AgentToolAttachment {
    serverId: ID!
    "Null when the server was deleted: the attachment stays, missing, and offers nothing."
    serverName: String
    "Null: all of the server's allowed tools."
    tool: String
    all: Boolean!
    missing: Boolean!
  }
  "Added: a tool an agent's attachments give its model now."
  type AgentMcpTool {
    "The name the model sees: server__tool."
    name: String!
    serverId: ID!
    tool: String!
    description: String
    requiresApproval: Boolean!
  }
  "Added: why an attachment gives no tool now."
  type AgentToolWarning {
    serverId: ID!
    tool: String
    message: String!
  }
  "Added: the MCP tools attached to an agent (REST: GET and PUT /v1/agents/{id}/tools)."
  type AgentTools {
    agentId: ID!
    attachments: [AgentToolAttachment!]!
    tools: [AgentMcpTool!]!
    warnings: [AgentToolWarning!]!
  }
  "Added: one attachment: a server (id or name) and one of its tools, or all: true."
  input AgentToolInput {
    server: String!
    tool: String
    all: Boolean
  }
  extend type Query {
    "Added: the MCP tools attached to one of your agents (REST: GET /v1/agents/{id}/tools)."
    agentTools(agentId: ID!): AgentTools!
    "Added: the operator's MCP servers, then yours (REST: GET /v1/mcp-servers)."
    mcpServers: [McpServer!]!
    "Added: one MCP server; an unknown one (or another user's) is null with a NOT_FOUND error."
    mcpServer(id: ID!): McpServer
  }
  extend type Mutation {
    "Added: replaces an agent's MCP attachments (REST: PUT /v1/agents/{id}/tools)."
    setAgentTools(agentId: ID!, tools: [AgentToolInput!]!): AgentTools!
    "Added (REST: POST /v1/mcp-servers)."
    createMcpServer(input: McpServerInput!): McpServer!
    "Added: absent fields stay (REST: PATCH /v1/mcp-servers/{id})."
    updateMcpServer(id: ID!, input: McpServerInput!): McpServer!
    "Added (REST: DELETE /v1/mcp-servers/{id})."
    deleteMcpServer(id: ID!): Boolean!
  }
`;
