import { MAX_TOOL_NAME_LENGTH, MCP_TOOL_SEPARATOR } from './mcp-server-schemas.ts';
import type { McpApprovalPolicy, McpRemoteTool } from './mcp-types.ts';

const MODEL_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** One tool of an MCP server as memgate offers it: under its prefixed name, with what memgate makes of it. */
export interface McpToolEntry {
  /** The name the model sees: `server__tool`. */
  name: string;
  /** The server's own name for it. */
  tool: string;
  description: string | null;
  inputSchema: unknown;
  /** In the server's `allowed_tools` (or it has none). */
  allowed: boolean;
  /** By the server's `require_approval`. */
  requiresApproval: boolean;
  /** False when a model cannot be given it (see `warning`); such a tool is never sent upstream. */
  usable: boolean;
  warning: string | null;
}

/** The model-facing name of a server's tool. */
export function mcpToolName(serverName: string, toolName: string): string {
  return `${serverName}${MCP_TOOL_SEPARATOR}${toolName}`;
}

/** Whether a policy asks for the client's approval before the tool runs. */
export function requiresApproval(policy: McpApprovalPolicy, toolName: string): boolean {
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return policy.includes(toolName);
}

/** Why a model cannot use this tool, or null when it can. */
export function unusableReason(prefixed: string, inputSchema: unknown): string | null {
  if (!MODEL_TOOL_NAME.test(prefixed)) {
    return prefixed.length > MAX_TOOL_NAME_LENGTH
      ? `Skipped: its name "${prefixed}" is longer than ${MAX_TOOL_NAME_LENGTH} characters.`
      : `Skipped: its name "${prefixed}" has characters outside a-z, A-Z, 0-9, _ and -.`;
  }
  if (typeof inputSchema !== 'object' || inputSchema === null || Array.isArray(inputSchema)) {
    return 'Skipped: its input schema is not a JSON Schema object.';
  }
  const type = (inputSchema as { type?: unknown }).type;
  if (type !== undefined && type !== 'object') {
    return `Skipped: its input schema has type ${JSON.stringify(type)}; a function's parameters must be an object.`;
  }
  return null;
}

/** A server's tools as memgate offers them, in the server's order. */
export function mcpToolEntries(
  server: { name: string; allowedTools: string[] | null; requireApproval: McpApprovalPolicy },
  tools: readonly McpRemoteTool[],
): McpToolEntry[] {
  return tools.map((tool) => {
    const name = mcpToolName(server.name, tool.name);
    const warning = unusableReason(name, tool.inputSchema);
    return {
      name,
      tool: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      allowed: server.allowedTools === null || server.allowedTools.includes(tool.name),
      requiresApproval: requiresApproval(server.requireApproval, tool.name),
      usable: warning === null,
      warning,
    };
  });
}
