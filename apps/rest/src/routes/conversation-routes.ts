import { conversationResource, type Memgate, messageResource } from '@memgate/core';
import { Router } from 'express';
import { principalOf } from '../principal.ts';

/** An agent's conversations and each one's history. */
export function conversationRoutes(memgate: Memgate): Router {
  const router = Router();
  router.param('agentId', (_request, response, next, agentId: string) => {
    response.locals['agentId'] = agentId;
    next();
  });
  const { conversations } = memgate;
  const base = '/agents/:agentId/conversations';

  router.post(base, async (request, response) => {
    const conversation = await conversations.create(principalOf(response), request.params.agentId, request.body);
    response.status(201).json(conversationResource(conversation));
  });
  router.get(base, async (request, response) => {
    const list = await conversations.list(principalOf(response), request.params.agentId, request.query);
    response.json({ object: 'list', data: list.map(conversationResource) });
  });
  router.get(`${base}/:conversationId`, async (request, response) => {
    const { agentId, conversationId } = request.params;
    response.json(conversationResource(await conversations.get(principalOf(response), agentId, conversationId)));
  });
  router.patch(`${base}/:conversationId`, async (request, response) => {
    const { agentId, conversationId } = request.params;
    const updated = await conversations.update(principalOf(response), agentId, conversationId, request.body);
    response.json(conversationResource(updated));
  });
  router.delete(`${base}/:conversationId`, async (request, response) => {
    const { agentId, conversationId } = request.params;
    await conversations.delete(principalOf(response), agentId, conversationId);
    response.status(204).end();
  });
  router.get(`${base}/:conversationId/messages`, async (request, response) => {
    const { agentId, conversationId } = request.params;
    const messages = await conversations.messages(principalOf(response), agentId, conversationId, request.query);
    response.json({ object: 'list', data: messages.map(messageResource) });
  });
  router.post(`${base}/:conversationId/fork`, async (request, response) => {
    const { agentId, conversationId } = request.params;
    const fork = await conversations.fork(principalOf(response), agentId, conversationId, request.body);
    response.status(201).json(conversationResource(fork));
  });
  router.post(`${base}/:conversationId/rewind`, async (request, response) => {
    const { agentId, conversationId } = request.params;
    const rewound = await conversations.rewind(principalOf(response), agentId, conversationId, request.body);
    response.json({ conversation: conversationResource(rewound.conversation), hidden: rewound.hidden });
  });
  router.post(`${base}/:conversationId/restore`, async (request, response) => {
    const { agentId, conversationId } = request.params;
    const restored = await conversations.restore(principalOf(response), agentId, conversationId);
    response.json({ conversation: conversationResource(restored.conversation), restored: restored.restored });
  });
  return router;
}
