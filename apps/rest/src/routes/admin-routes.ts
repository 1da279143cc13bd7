import { apiKeyResource, type Memgate, userResource } from '@memgate/core';
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
  router.delete('/users/:userId', async (request, response) => {
    await admin.deleteUser(request.params.userId, request.query);
    response.status(204).end();
  });
  router.post('/users/:userId/api-keys', async (request, response) => {
    const created = await admin.createApiKey(request.params.userId, request.body);
    response.status(201).json({
      id: created.id,
      key: created.key,
      user_id: created.userId,
      prefix: created.prefix,
      created_at: created.createdAt,
      scope: created.scope,
      expires_at: created.expiresAt,
    });
  });
  router.get('/users/:userId/api-keys', async (request, response) => {
    const keys = await admin.listApiKeys(request.params.userId);
    response.json({ object: 'list', data: keys.map(apiKeyResource) });
  });
  router.get('/usage', async (request, response) => {
    response.json(await memgate.usage.adminReport(request.query));
  });
  router.delete('/api-keys/:keyId', async (request, response) => {
    await admin.deleteApiKey(request.params.keyId);
    response.status(204).end();
  });
  return router;
}
