import { agentResource, type Memgate, messageResource } from '@memgate/core';
import { Router } from 'express';
import { principalOf } from '../principal.ts';

/** Agents, their history and memory (contract §3), and the model list. */
export function agentRoutes(memgate: Memgate): Router {
  const router = Router();
  const { agents } = memgate;

  router.get('/models', async (_request, response) => {
    response.json(await memgate.models(principalOf(response)));
  });
  router.post('/agents', async (request, response) => {
    response.status(201).json(agentResource(await agents.create(principalOf(response), request.body)));
  });
  router.get('/agents', async (_request, response) => {
    response.json({ object: 'list', data: (await agents.list(principalOf(response))).map(agentResource) });
  });
  router.get('/agents/:agentId', async (request, response) => {
    response.json(agentResource(await agents.get(principalOf(response), request.params.agentId)));
  });
  router.delete('/agents/:agentId', async (request, response) => {
    await agents.delete(principalOf(response), request.params.agentId);
    response.status(204).end();
  });
  router.get('/agents/:agentId/messages', async (request, response) => {
    const messages = await agents.messages(principalOf(response), request.params.agentId, request.query);
    response.json({ object: 'list', data: messages.map(messageResource) });
  });
  router.get('/agents/:agentId/memory', async (request, response) => {
    response.json({ blocks: await agents.memory(principalOf(response), request.params.agentId) });
  });
  router.put('/agents/:agentId/memory/:label', async (request, response) => {
    const { agentId, label } = request.params;
    response.json(await agents.updateMemory(principalOf(response), agentId, label, request.body));
  });
  return router;
}
