import { type Memgate, userResource } from '@memgate/core';
import { Router } from 'express';

/** The admin API (contract §2): only when MEMGATE_ADMIN_TOKEN is set, with it as bearer. */
export function adminRoutes(memgate: Memgate): Router {
  const router = Router();
  const { admin } = memgate;
  router.use((request, _response, next) => {
    admin.authorizeAdmin(request.headers.authorization);
    next();
  });
  router.post('/users', async (request, response) => {
    response.status(201).json(userResource(await admin.createUser(request.body)));
  });
  router.get('/users', async (_request, response) => {
    response.json({ object: 'list', data: (await admin.listUsers()).map(userResource) });
  });
  router.post('/users/:userId/api-keys', async (request, response) => {
    const created = await admin.createApiKey(request.params.userId);
    response
      .status(201)
      .json({ id: created.id, key: created.key, user_id: created.userId, created_at: created.createdAt });
  });
  router.delete('/api-keys/:keyId', async (request, response) => {
    await admin.deleteApiKey(request.params.keyId);
    response.status(204).end();
  });
  return router;
}
