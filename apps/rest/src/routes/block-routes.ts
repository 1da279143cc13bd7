import { agentResource, blockHistoryResource, blockResource, type Memgate } from '@memgate/core';
import { Router } from 'express';
import { principalOf } from '../principal.ts';

/** Memory blocks as their own entities (`/v1/blocks`), and attaching them to agents. */
export function blockRoutes(memgate: Memgate): Router {
  const router = Router();
  const { blocks } = memgate;

  router.post('/blocks', async (request, response) => {
    response.status(201).json(blockResource(await blocks.create(principalOf(response), request.body)));
  });
  router.get('/blocks', async (request, response) => {
    const data = await blocks.list(principalOf(response), request.query);
    response.json({ object: 'list', data: data.map(blockResource) });
  });
  router.get('/blocks/:blockId', async (request, response) => {
    response.json(blockResource(await blocks.get(principalOf(response), request.params.blockId)));
  });
  router.patch('/blocks/:blockId', async (request, response) => {
    response.json(blockResource(await blocks.update(principalOf(response), request.params.blockId, request.body)));
  });
  router.delete('/blocks/:blockId', async (request, response) => {
    await blocks.delete(principalOf(response), request.params.blockId, request.query);
    response.status(204).end();
  });
  router.get('/blocks/:blockId/history', async (request, response) => {
    const entries = await blocks.history(principalOf(response), request.params.blockId, request.query);
    response.json({ object: 'list', data: entries.map(blockHistoryResource) });
  });
  router.put('/agents/:agentId/blocks/:blockId', async (request, response) => {
    const { agentId, blockId } = request.params;
    response.locals['agentId'] = agentId;
    response.json(agentResource(await blocks.attach(principalOf(response), agentId, blockId)));
  });
  router.delete('/agents/:agentId/blocks/:blockId', async (request, response) => {
    const { agentId, blockId } = request.params;
    response.locals['agentId'] = agentId;
    await blocks.detach(principalOf(response), agentId, blockId);
    response.status(204).end();
  });
  return router;
}
