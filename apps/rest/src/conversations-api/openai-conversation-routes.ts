import type { Memgate } from '@memgate/core';
import { Router } from 'express';
import { principalOf } from '../principal.ts';

/** OpenAI's Conversations API: memgate's conversations by their ids, their messages as items. */
export function openaiConversationRoutes(memgate: Memgate): Router {
  const router = Router();
  const api = memgate.openaiConversations;

  router.post('/conversations', async (request, response) => {
    response.json(await api.create(principalOf(response), request.body));
  });
  router.get('/conversations/:conversationId', async (request, response) => {
    response.json(await api.get(principalOf(response), request.params.conversationId));
  });
  router.post('/conversations/:conversationId', async (request, response) => {
    response.json(await api.update(principalOf(response), request.params.conversationId, request.body));
  });
  router.delete('/conversations/:conversationId', async (request, response) => {
    response.json(await api.delete(principalOf(response), request.params.conversationId));
  });
  router.get('/conversations/:conversationId/items', async (request, response) => {
    response.json(await api.listItems(principalOf(response), request.params.conversationId, request.query));
  });
  router.post('/conversations/:conversationId/items', async (request, response) => {
    response.json(
      await api.createItems(principalOf(response), request.params.conversationId, request.body, request.query),
    );
  });
  router.get('/conversations/:conversationId/items/:itemId', async (request, response) => {
    const { conversationId, itemId } = request.params;
    response.json(await api.getItem(principalOf(response), conversationId, itemId, request.query));
  });
  router.delete('/conversations/:conversationId/items/:itemId', async (request, response) => {
    const { conversationId, itemId } = request.params;
    response.json(await api.deleteItem(principalOf(response), conversationId, itemId));
  });
  return router;
}
