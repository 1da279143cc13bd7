import { attachedEntries, type McpToolSource } from '../agent/mcp-tools.ts';
import { requireWriteScope } from '../auth/key-scope.ts';
import type { Agent, AgentMcpTool, Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError, parseOrThrow } from '../errors/validation.ts';
import type { Store } from '../store/store.ts';
import { type AgentToolsView, agentToolsBodySchema } from './agent-tools-schemas.ts';
import type { McpServerService } from './mcp-server-service.ts';

/** Attaching MCP tools to agents: `PUT`/`GET /v1/agents/{id}/tools`, GraphQL `agentTools`/`setAgentTools`. */
export class AgentToolsService {
  constructor(
    private readonly store: Store,
    private readonly servers: McpServerService,
    private readonly source: McpToolSource,
  ) {}

  async get(principal: Principal, agentId: string, signal?: AbortSignal): Promise<AgentToolsView> {
    return this.#view(await this.#agent(principal, agentId), signal);
  }

  /** Replaces the agent's attachments; every server must be the caller's (or the operator's) and allow the tool. */
  async set(principal: Principal, agentId: string, input: unknown, signal?: AbortSignal): Promise<AgentToolsView> {
    requireWriteScope(principal);
    const body = parseOrThrow(agentToolsBodySchema, input);
    const agent = await this.#agent(principal, agentId);
    const attachments: AgentMcpTool[] = [];
    const seen = new Set<string>();
    for (const [index, entry] of body.tools.entries()) {
      const server = await this.servers.find(principal, entry.server);
      if (!server) {
        throw fieldError(
          ['body', 'tools', index, 'server'],
          `There is no MCP server "${entry.server}" (by id or name) among yours (see GET /v1/mcp-servers).`,
          'mcp_server_not_found',
        );
      }
      const tool = entry.tool ?? null;
      if (tool !== null && server.allowedTools !== null && !server.allowedTools.includes(tool)) {
        throw fieldError(
          ['body', 'tools', index, 'tool'],
          `MCP server "${server.name}" does not allow the tool "${tool}" (its allowed_tools: ${server.allowedTools.join(', ') || 'none'}).`,
          'mcp_tool_not_allowed',
        );
      }
      const key = `${server.id}\u0000${tool ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      attachments.push({ serverId: server.id, tool });
    }
    if (!(await this.store.setAgentMcpTools(principal.userId, agentId, attachments))) throw agentNotFound(agentId);
    return this.#view({ ...agent, mcpTools: attachments }, signal);
  }

  async #agent(principal: Principal, agentId: string): Promise<Agent> {
    const agent = await this.store.getAgent(principal.userId, agentId);
    if (!agent) throw agentNotFound(agentId);
    return agent;
  }

  async #view(agent: Agent, signal?: AbortSignal): Promise<AgentToolsView> {
    const attachments = agent.mcpTools ?? [];
    const resolved = await this.source.resolve(agent, signal);
    const view: AgentToolsView = {
      object: 'agent.tools',
      agent_id: agent.id,
      attachments: [],
      tools: [],
      warnings: [],
    };
    for (const attachment of attachments) {
      const server = resolved.find((candidate) => candidate.serverId === attachment.serverId)?.server ?? null;
      view.attachments.push({
        server_id: attachment.serverId,
        server_name: server?.name ?? null,
        tool: attachment.tool,
        all: attachment.tool === null,
        missing: server === null,
      });
    }
    for (const { serverId, entries, problem } of resolved) {
      if (problem) {
        view.warnings.push({ server_id: serverId, tool: null, message: problem });
        continue;
      }
      for (const entry of attachedEntries(entries, attachments, serverId)) {
        view.tools.push({
          name: entry.name,
          server_id: serverId,
          tool: entry.tool,
          description: entry.description,
          requires_approval: entry.requiresApproval,
        });
      }
      for (const attachment of attachments.filter((candidate) => candidate.serverId === serverId && candidate.tool)) {
        const entry = entries.find((candidate) => candidate.tool === attachment.tool);
        const message = !entry
          ? 'The server does not list this tool now.'
          : !entry.allowed
            ? 'The server no longer allows this tool (allowed_tools).'
            : entry.warning;
        if (message) view.warnings.push({ server_id: serverId, tool: attachment.tool, message });
      }
    }
    return view;
  }
}

function agentNotFound(agentId: string): MemgateError {
  return new MemgateError('NOT_FOUND', `Agent ${agentId} not found.`, { detailCode: 'agent_not_found' });
}
