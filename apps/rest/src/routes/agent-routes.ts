import {
  agentResource,
  type Memgate,
  memoryBlockResource,
  messageResource,
  passageResource,
  passageSearchResource,
} from '@memgate/core';
import { Router } from 'express';
import { clientSignal } from '../client-signal.ts';
import { principalOf } from '../principal.ts';

/** Agents, their history and memory (contract §3), archival memory and context, and the model list. */
export function agentRoutes(memgate: Memgate): Router {
  const router = Router();
  // For the request's log line: the agent it concerns.
  router.param('agentId', (_request, response, next, agentId: string) => {
    response.locals['agentId'] = agentId;
    next();
  });
  const { agents, memory } = memgate;

  router.get('/models', async (_request, response) => {
    response.json(await memgate.models(principalOf(response)));
  });
  // A wildcard, since upstream model ids may hold a slash (`meta-llama/Llama-3.1-8B`), sent raw or as %2F.
  router.get('/models/*modelId', async (request, response) => {
    const modelId = request.params.modelId.join('/');
    response.json(await memgate.model(principalOf(response), modelId));
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
  router.patch('/agents/:agentId', async (request, response) => {
    response.json(agentResource(await agents.update(principalOf(response), request.params.agentId, request.body)));
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
    const blocks = await agents.memory(principalOf(response), request.params.agentId);
    response.json({ blocks: blocks.map(memoryBlockResource) });
  });
  router.put('/agents/:agentId/memory/:label', async (request, response) => {
    const { agentId, label } = request.params;
    response.json(memoryBlockResource(await agents.updateMemory(principalOf(response), agentId, label, request.body)));
  });
  router.get('/agents/:agentId/archival', async (request, response) => {
    const passages = await memory.listPassages(principalOf(response), request.params.agentId, request.query);
    response.json({ object: 'list', data: passages.map(passageResource) });
  });
  router.post('/agents/:agentId/archival', async (request, response) => {
    const signal = clientSignal(response).signal;
    const passage = await memory.insertPassage(principalOf(response), request.params.agentId, request.body, signal);
    response.status(201).json(passageResource(passage));
  });
  router.get('/agents/:agentId/archival/search', async (request, response) => {
    const signal = clientSignal(response).signal;
    const results = await memory.searchPassages(principalOf(response), request.params.agentId, request.query, signal);
    response.json(passageSearchResource(results));
  });
  router.delete('/agents/:agentId/archival/:passageId', async (request, response) => {
    const { agentId, passageId } = request.params;
    await memory.deletePassage(principalOf(response), agentId, passageId);
    response.status(204).end();
  });
  router.get('/agents/:agentId/context', async (request, response) => {
    response.json(await memory.context(principalOf(response), request.params.agentId));
  });
  return router;
}
