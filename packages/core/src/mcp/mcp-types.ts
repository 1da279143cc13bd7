/** How memgate reaches an MCP server: the two remote transports, or a local process (operator file only). */
export type McpTransport = 'streamable_http' | 'sse' | 'stdio';

/** Which of a server's tools need the client's approval before they run. */
export type McpApprovalPolicy = 'always' | 'never' | string[];

/**
 * An MCP server as stored (one user's, made through the API). `headersEncrypted` holds the
 * AES-256-GCM ciphertext of the headers (see {@link McpSecrets}); only their names are ever shown.
 */
export interface McpServerRecord {
  id: string;
  userId: string;
  name: string;
  url: string;
  transport: 'streamable_http' | 'sse';
  /** Header names, in the order given; their values live only in `headersEncrypted`. */
  headerNames: string[];
  headersEncrypted: string | null;
  /** Tool names the agent may use; null: all of them. */
  allowedTools: string[] | null;
  requireApproval: McpApprovalPolicy;
  timeoutMs: number;
  createdAt: string;
  updatedAt: string;
}

/** The fields an update may change; absent fields stay. */
export interface McpServerPatch {
  name?: string;
  url?: string;
  transport?: 'streamable_http' | 'sse';
  headerNames?: string[];
  headersEncrypted?: string | null;
  allowedTools?: string[] | null;
  requireApproval?: McpApprovalPolicy;
  timeoutMs?: number;
  updatedAt: string;
}

/** An MCP server as the API shows it: a user's, or one of the operator's file (read-only, shared by all). */
export interface McpServer {
  id: string;
  name: string;
  transport: McpTransport;
  /** Null for a stdio server. */
  url: string | null;
  headerNames: string[];
  allowedTools: string[] | null;
  requireApproval: McpApprovalPolicy;
  timeoutMs: number;
  /** `api`: the user's own; `file`: the operator's MEMGATE_MCP_SERVERS_FILE. */
  source: 'api' | 'file';
  createdAt: string | null;
  updatedAt: string | null;
}

/**
 * What the MCP client needs to reach a server: its address or command, its headers decrypted.
 * `revision` changes whenever the server's settings do, so a client pool drops a connection made
 * with older ones.
 */
export interface McpConnectionConfig {
  id: string;
  name: string;
  revision: string;
  transport: McpTransport;
  /** For `streamable_http` and `sse`. */
  url?: string;
  headers?: Record<string, string>;
  /** For `stdio`. */
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  /** An operator's server (MEMGATE_MCP_SERVERS_FILE): it may be on a private address. */
  trusted?: boolean;
}

/** One tool as an MCP server describes it. */
export interface McpRemoteTool {
  name: string;
  description: string | null;
  inputSchema: unknown;
}

/** A tool call's outcome: its content as text, and whether the server reported a failure. */
export interface McpToolResult {
  content: string;
  isError: boolean;
}

/**
 * The MCP client the core uses (implemented by `@memgate/mcp` over the official SDK). Calls
 * reuse one connection per server, reconnect after a failure, and never outlive their timeout:
 * an unreachable server is an `UPSTREAM_ERROR` (502), one that does not answer in time an
 * `UPSTREAM_TIMEOUT` (504), both with detail code `mcp_server_unreachable` / `mcp_server_timeout`.
 */
export interface McpClientPool {
  listTools(server: McpConnectionConfig, options: { signal?: AbortSignal }): Promise<{ tools: McpRemoteTool[] }>;
  /** A tool error (the server's `isError`, or a JSON-RPC error for the call) is a result with `isError`, not a throw. */
  callTool(
    server: McpConnectionConfig,
    toolName: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<McpToolResult>;
  /** Closes the connection to a server (it changed or was deleted); the next call reconnects. */
  release(serverId: string): Promise<void>;
  close(): Promise<void>;
}
