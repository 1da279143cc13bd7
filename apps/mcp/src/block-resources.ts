import { type AgentEvent, type Memgate, MemgateError } from '@memgate/core';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  ErrorCode,
  McpError,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolCaller } from './memgate-tools.ts';

const URI = /^memgate:\/\/agents\/([^/]+)\/blocks\/([^/]+)$/;

/** `memgate://agents/{id}/blocks/{label}`. */
export function blockUri(agentId: string, label: string): string {
  return `memgate://agents/${encodeURIComponent(agentId)}/blocks/${encodeURIComponent(label)}`;
}

function parseBlockUri(uri: string): { agentId: string; label: string } {
  const match = URI.exec(uri);
  if (!match?.[1] || !match[2]) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Not a memgate block URI: ${uri} (expected memgate://agents/{id}/blocks/{label}).`,
    );
  }
  return { agentId: decodeURIComponent(match[1]), label: decodeURIComponent(match[2]) };
}

/** A core error as the JSON-RPC error of a resource request (the resource is missing, or the input is bad). */
function resourceError(error: unknown): McpError {
  const normalised = MemgateError.fromUnknown(error);
  const code = normalised.code === 'NOT_FOUND' ? -32002 : ErrorCode.InvalidParams;
  return new McpError(code, normalised.message, { status: normalised.status, code: normalised.detailCode });
}

/**
 * Every core memory block of the user's agents as a resource, and subscriptions to them: a
 * `block.updated` event (a turn's memory edit, a PUT, a shared block written anywhere; it crosses
 * instances through the bus) sends `notifications/resources/updated` for the block's URI.
 * Returns what stops the session's event subscriptions.
 */
export function registerBlockResources(server: McpServer, memgate: Memgate, caller: ToolCaller): () => void {
  server.registerResource(
    'memory-block',
    new ResourceTemplate('memgate://agents/{agent_id}/blocks/{label}', {
      list: async () => {
        const agents = await memgate.agents.list(caller.principal());
        return {
          resources: agents.flatMap((agent) =>
            agent.memory.map((block) => ({
              uri: blockUri(agent.id, block.label),
              name: `${agent.name}: ${block.label}`,
              description: block.description ?? `The "${block.label}" core memory block of agent ${agent.name}.`,
              mimeType: 'text/plain',
            })),
          ),
        };
      },
    }),
    {
      title: 'Core memory block',
      description: 'A core memory block of one of your agents: what the agent always has in mind.',
      mimeType: 'text/plain',
    },
    async (uri) => {
      const { agentId, label } = parseBlockUri(uri.href);
      try {
        const blocks = await memgate.agents.memory(caller.principal(), agentId);
        const block = blocks.find((candidate) => candidate.label === label);
        if (!block) {
          throw new MemgateError('NOT_FOUND', `Agent ${agentId} has no memory block "${label}".`, {
            detailCode: 'block_not_found',
          });
        }
        return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: block.value }] };
      } catch (error) {
        throw resourceError(error);
      }
    },
  );

  const subscribed = new Set<string>();
  const byAgent = new Map<string, () => void>();
  const onEvent = (event: AgentEvent) => {
    if (event.type !== 'block.updated') return;
    const uri = blockUri(event.agentId, event.block.label);
    if (subscribed.has(uri)) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  };
  server.server.registerCapabilities({ resources: { subscribe: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const { agentId } = parseBlockUri(request.params.uri);
    try {
      // Only the caller's agents: another user's is NOT_FOUND, as everywhere.
      await memgate.agents.get(caller.principal(), agentId);
    } catch (error) {
      throw resourceError(error);
    }
    subscribed.add(request.params.uri);
    if (!byAgent.has(agentId)) {
      byAgent.set(agentId, memgate.events.subscribe(agentId, onEvent));
      await memgate.events.ready?.(agentId);
    }
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    const { agentId } = parseBlockUri(request.params.uri);
    subscribed.delete(request.params.uri);
    if (![...subscribed].some((uri) => parseBlockUri(uri).agentId === agentId)) {
      byAgent.get(agentId)?.();
      byAgent.delete(agentId);
    }
    return {};
  });
  return () => {
    for (const unsubscribe of byAgent.values()) unsubscribe();
    byAgent.clear();
    subscribed.clear();
  };
}
