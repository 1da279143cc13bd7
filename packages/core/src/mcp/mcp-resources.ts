import type { McpToolListing } from './mcp-server-service.ts';
import type { McpApprovalPolicy, McpServer, McpTransport } from './mcp-types.ts';

/** An MCP server as every protocol answers with it: header names, never their values. */
export interface McpServerResource {
  id: string;
  object: 'mcp_server';
  name: string;
  transport: McpTransport;
  url: string | null;
  header_names: string[];
  allowed_tools: string[] | null;
  require_approval: McpApprovalPolicy;
  timeout_ms: number;
  source: 'api' | 'file';
  created_at: string | null;
  updated_at: string | null;
}

export interface McpToolResource {
  name: string;
  tool: string;
  description: string | null;
  input_schema: unknown;
  allowed: boolean;
  requires_approval: boolean;
  usable: boolean;
  warning: string | null;
}

export interface McpToolListResource {
  object: 'list';
  server_id: string;
  server_name: string;
  fetched_at: string;
  cached: boolean;
  data: McpToolResource[];
}

export function mcpServerResource(server: McpServer): McpServerResource {
  return {
    id: server.id,
    object: 'mcp_server',
    name: server.name,
    transport: server.transport,
    url: server.url,
    header_names: server.headerNames,
    allowed_tools: server.allowedTools,
    require_approval: server.requireApproval,
    timeout_ms: server.timeoutMs,
    source: server.source,
    created_at: server.createdAt,
    updated_at: server.updatedAt,
  };
}

export function mcpToolListResource(listing: McpToolListing): McpToolListResource {
  return {
    object: 'list',
    server_id: listing.server.id,
    server_name: listing.server.name,
    fetched_at: listing.fetchedAt,
    cached: listing.cached,
    data: listing.tools.map((tool) => ({
      name: tool.name,
      tool: tool.tool,
      description: tool.description,
      input_schema: tool.inputSchema,
      allowed: tool.allowed,
      requires_approval: tool.requiresApproval,
      usable: tool.usable,
      warning: tool.warning,
    })),
  };
}
