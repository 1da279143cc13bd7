import type { Agent, AgentMcpTool, Principal } from '../domain/types.ts';
import { MCP_TOOL_SEPARATOR } from '../mcp/mcp-server-schemas.ts';
import type { McpServerService } from '../mcp/mcp-server-service.ts';
import type { McpToolEntry } from '../mcp/mcp-tool-listing.ts';
import type { McpServer } from '../mcp/mcp-types.ts';
import { type AgentTool, heartbeatParameter, toolFailure } from './tool-helpers.ts';

/** The MCP tools of one turn: by the name the model sees, and the prefixes no client tool may take. */
export interface TurnMcpTools {
  tools: Map<string, AgentTool>;
  /** `server__` of every attached server that exists (reachable or not). */
  prefixes: string[];
}

/** An attached server as resolved for a turn or a listing: the server, its listing or why there is none. */
export interface ResolvedMcpServer {
  serverId: string;
  server: McpServer | null;
  entries: McpToolEntry[];
  problem: string | null;
}

/** How long a server whose tool listing failed is left out of turns (its tools absent) before it is asked again. */
export const FAILED_LISTING_RETRY_MS = 30_000;

/**
 * MCP tools as a tool source of the core: the tools attached to an agent, each run through the
 * server's MCP client with its timeout. A tool whose server asks for approval is not run by the
 * turn: it goes to the client as a client tool call (`requiresApproval`).
 */
export class McpToolSource {
  /** Servers whose listing failed lately, by id: when, and why. */
  readonly #failed = new Map<string, { at: number; problem: string }>();

  constructor(
    private readonly servers: McpServerService,
    /** How long a server whose listing failed is left out of turns before it is asked again. */
    private readonly retryFailedMs = FAILED_LISTING_RETRY_MS,
  ) {}

  /** The attached servers with their (cached) tool listings; a server that fails is reported, not thrown. */
  async resolve(agent: Agent, signal?: AbortSignal): Promise<ResolvedMcpServer[]> {
    const principal: Principal = { userId: agent.userId };
    const serverIds = [...new Set((agent.mcpTools ?? []).map((attachment) => attachment.serverId))];
    return Promise.all(
      serverIds.map(async (serverId): Promise<ResolvedMcpServer> => {
        const server = await this.servers.get(principal, serverId).catch(() => null);
        if (!server) return { serverId, server: null, entries: [], problem: 'The MCP server no longer exists.' };
        // A server that just failed is not waited on again by every turn: each would pay its timeout.
        const failed = this.#failed.get(serverId);
        if (failed && Date.now() - failed.at < this.retryFailedMs) {
          return { serverId, server, entries: [], problem: failed.problem };
        }
        try {
          const listing = await this.servers.tools(principal, serverId, {}, signal);
          this.#failed.delete(serverId);
          return { serverId, server: listing.server, entries: listing.tools, problem: null };
        } catch (error) {
          if (signal?.aborted) throw error;
          const problem = error instanceof Error ? error.message : String(error);
          this.#failed.set(serverId, { at: Date.now(), problem });
          if (this.#failed.size > 1000) this.#failed.delete(this.#failed.keys().next().value as string);
          return { serverId, server, entries: [], problem };
        }
      }),
    );
  }

  /** The agent's MCP tools for one turn (nothing is asked of anyone when it has none). */
  async forTurn(agent: Agent, signal?: AbortSignal): Promise<TurnMcpTools> {
    const tools = new Map<string, AgentTool>();
    const attachments = agent.mcpTools ?? [];
    if (attachments.length === 0) return { tools, prefixes: [] };
    const resolved = await this.resolve(agent, signal);
    const principal: Principal = { userId: agent.userId };
    for (const { serverId, server, entries } of resolved) {
      if (!server) continue;
      for (const entry of attachedEntries(entries, attachments, serverId)) {
        tools.set(entry.name, this.#tool(principal, serverId, entry));
      }
    }
    const prefixes = resolved.flatMap(({ server }) => (server ? [server.name + MCP_TOOL_SEPARATOR] : []));
    return { tools, prefixes };
  }

  #tool(principal: Principal, serverId: string, entry: McpToolEntry): AgentTool {
    const schema = entry.inputSchema as { properties?: Record<string, unknown> };
    // Chaining works as for the memory tools: the model asks for another step with request_heartbeat.
    const addsHeartbeat = !schema.properties || !('request_heartbeat' in schema.properties);
    const parameters = addsHeartbeat
      ? { ...schema, type: 'object', properties: { ...schema.properties, request_heartbeat: heartbeatParameter } }
      : schema;
    const servers = this.servers;
    return {
      definition: {
        type: 'function',
        function: {
          name: entry.name,
          ...(entry.description !== null && { description: entry.description }),
          parameters,
        },
      },
      ...(entry.requiresApproval && { requiresApproval: true as const }),
      async run(args, context) {
        const sent = { ...args };
        if (addsHeartbeat) delete sent['request_heartbeat'];
        const result = await servers.callTool(principal, serverId, entry.tool, sent, context.signal);
        if (result.isError) return toolFailure(`The MCP tool ${entry.name} failed: ${result.content}`);
        return { result: result.content, failed: false };
      },
    };
  }
}

/** The usable, allowed entries of a server that the agent's attachments name (one tool, or all). */
export function attachedEntries(
  entries: readonly McpToolEntry[],
  attachments: readonly AgentMcpTool[],
  serverId: string,
): McpToolEntry[] {
  const mine = attachments.filter((attachment) => attachment.serverId === serverId);
  const all = mine.some((attachment) => attachment.tool === null);
  const named = new Set(mine.map((attachment) => attachment.tool));
  return entries.filter((entry) => entry.allowed && entry.usable && (all || named.has(entry.tool)));
}

/** A failure result saying the user declined the call, with their reason. */
export function declinedResult(name: string, reason: string | null): string {
  const why = reason ? ` Reason: ${reason}` : '';
  return toolFailure(`The user declined to run ${name}; it was not run.${why}`).result;
}
