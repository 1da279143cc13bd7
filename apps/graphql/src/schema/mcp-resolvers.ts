import {
  type AgentToolsView,
  type McpServer,
  type Memgate,
  mcpServerResource,
  mcpToolListResource,
} from '@memgate/core';
import type { GraphqlContext } from '../graphql-context.ts';

type Root = unknown;

interface McpServerInput {
  name?: string | null;
  url?: string | null;
  transport?: string | null;
  headers?: unknown;
  allowedTools?: string[] | null;
  requireApproval?: unknown;
  timeoutMs?: number | null;
}

/** The input in REST's body shape: absent fields stay absent, explicit nulls (headers, allowedTools) are kept. */
function mcpServerBody(input: McpServerInput): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const fields: [keyof McpServerInput, string][] = [
    ['name', 'name'],
    ['url', 'url'],
    ['transport', 'transport'],
    ['headers', 'headers'],
    ['allowedTools', 'allowed_tools'],
    ['requireApproval', 'require_approval'],
    ['timeoutMs', 'timeout_ms'],
  ];
  for (const [field, key] of fields) {
    if (input[field] === undefined) continue;
    // Only headers and allowedTools mean something as null (none / all); elsewhere null is "not given".
    if (input[field] === null && key !== 'headers' && key !== 'allowed_tools') continue;
    body[key] = input[field];
  }
  return body;
}

function mcpServerFields(server: McpServer) {
  const resource = mcpServerResource(server);
  return {
    id: resource.id,
    name: resource.name,
    transport: resource.transport,
    url: resource.url,
    headerNames: resource.header_names,
    allowedTools: resource.allowed_tools,
    requireApproval: resource.require_approval,
    timeoutMs: resource.timeout_ms,
    source: resource.source,
    createdAt: resource.created_at,
    updatedAt: resource.updated_at,
  };
}

/** The REST view of an agent's tools in GraphQL's field names. */
function agentToolsFields(view: AgentToolsView) {
  return {
    agentId: view.agent_id,
    attachments: view.attachments.map((attachment) => ({
      serverId: attachment.server_id,
      serverName: attachment.server_name,
      tool: attachment.tool,
      all: attachment.all,
      missing: attachment.missing,
    })),
    tools: view.tools.map((tool) => ({
      name: tool.name,
      serverId: tool.server_id,
      tool: tool.tool,
      description: tool.description,
      requiresApproval: tool.requires_approval,
    })),
    warnings: view.warnings.map((warning) => ({
      serverId: warning.server_id,
      tool: warning.tool,
      message: warning.message,
    })),
  };
}

interface AgentToolInput {
  server: string;
  tool?: string | null;
  all?: boolean | null;
}

/** MCP server management through the core's McpServerService, as REST does. */
export function createMcpResolvers(memgate: Memgate) {
  const { mcpServers } = memgate;
  return {
    Query: {
      mcpServers: async (_root: Root, _args: unknown, context: GraphqlContext) =>
        (await mcpServers.list(context.principal)).map(mcpServerFields),
      mcpServer: async (_root: Root, args: { id: string }, context: GraphqlContext) =>
        mcpServerFields(await mcpServers.get(context.principal, args.id)),
      agentTools: async (_root: Root, args: { agentId: string }, context: GraphqlContext) =>
        agentToolsFields(await memgate.agentTools.get(context.principal, args.agentId)),
    },
    McpServer: {
      tools: async (server: { id: string }, args: { refresh?: boolean | null }, context: GraphqlContext) => {
        const query = args.refresh ? { refresh: 'true' } : {};
        const listing = mcpToolListResource(await mcpServers.tools(context.principal, server.id, query));
        return listing.data.map((tool) => ({
          name: tool.name,
          tool: tool.tool,
          description: tool.description,
          inputSchema: tool.input_schema,
          allowed: tool.allowed,
          requiresApproval: tool.requires_approval,
          usable: tool.usable,
          warning: tool.warning,
        }));
      },
    },
    Mutation: {
      setAgentTools: async (
        _root: Root,
        args: { agentId: string; tools: AgentToolInput[] },
        context: GraphqlContext,
      ) => {
        // REST's body: absent and null fields are left out, so the core validates one shape.
        const tools = args.tools.map((entry) => ({
          server: entry.server,
          ...(entry.tool != null && { tool: entry.tool }),
          ...(entry.all != null && { all: entry.all }),
        }));
        return agentToolsFields(await memgate.agentTools.set(context.principal, args.agentId, { tools }));
      },
      createMcpServer: async (_root: Root, args: { input: McpServerInput }, context: GraphqlContext) =>
        mcpServerFields(await mcpServers.create(context.principal, mcpServerBody(args.input))),
      updateMcpServer: async (_root: Root, args: { id: string; input: McpServerInput }, context: GraphqlContext) =>
        mcpServerFields(await mcpServers.update(context.principal, args.id, mcpServerBody(args.input))),
      deleteMcpServer: async (_root: Root, args: { id: string }, context: GraphqlContext) => {
        await mcpServers.delete(context.principal, args.id);
        return true;
      },
    },
  };
}
