import { type Memgate, mcpServerResource, mcpToolListResource } from '@memgate/core';
import { Router } from 'express';
import { clientSignal } from '../client-signal.ts';
import { principalOf } from '../principal.ts';

/** A user's MCP servers (`/v1/mcp-servers`), and their tools. */
export function mcpServerRoutes(memgate: Memgate): Router {
  const router = Router();
  const { mcpServers } = memgate;

  router.post('/mcp-servers', async (request, response) => {
    response.status(201).json(mcpServerResource(await mcpServers.create(principalOf(response), request.body)));
  });
  router.get('/mcp-servers', async (_request, response) => {
    const data = await mcpServers.list(principalOf(response));
    response.json({ object: 'list', data: data.map(mcpServerResource) });
  });
  router.get('/mcp-servers/:serverId', async (request, response) => {
    response.json(mcpServerResource(await mcpServers.get(principalOf(response), request.params.serverId)));
  });
  router.patch('/mcp-servers/:serverId', async (request, response) => {
    const server = await mcpServers.update(principalOf(response), request.params.serverId, request.body);
    response.json(mcpServerResource(server));
  });
  router.delete('/mcp-servers/:serverId', async (request, response) => {
    await mcpServers.delete(principalOf(response), request.params.serverId);
    response.status(204).end();
  });
  router.get('/mcp-servers/:serverId/tools', async (request, response) => {
    const { signal } = clientSignal(response);
    const listing = await mcpServers.tools(principalOf(response), request.params.serverId, request.query, signal);
    response.json(mcpToolListResource(listing));
  });
  // The MCP tools attached to an agent: the same core service as GraphQL's agentTools/setAgentTools.
  router.get('/agents/:agentId/tools', async (request, response) => {
    const { signal } = clientSignal(response);
    response.json(await memgate.agentTools.get(principalOf(response), request.params.agentId, signal));
  });
  router.put('/agents/:agentId/tools', async (request, response) => {
    const { signal } = clientSignal(response);
    response.json(await memgate.agentTools.set(principalOf(response), request.params.agentId, request.body, signal));
  });
  return router;
}
