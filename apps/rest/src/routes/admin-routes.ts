import { apiKeyResource, limitsRecordResource, type Memgate, userResource } from '@memgate/core';
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
  const { limits } = memgate;
  router.get('/users/:userId/limits', async (request, response) => {
    response.json(limitsRecordResource(await limits.userLimits(request.params.userId)));
  });
  router.put('/users/:userId/limits', async (request, response) => {
    response.json(limitsRecordResource(await limits.setUserLimits(request.params.userId, request.body)));
  });
  router.delete('/users/:userId/limits', async (request, response) => {
    await limits.clearUserLimits(request.params.userId);
    response.status(204).end();
  });
  router.get('/api-keys/:keyId/limits', async (request, response) => {
    response.json(limitsRecordResource(await limits.keyLimits(request.params.keyId)));
  });
  router.put('/api-keys/:keyId/limits', async (request, response) => {
    response.json(limitsRecordResource(await limits.setKeyLimits(request.params.keyId, request.body)));
  });
  router.delete('/api-keys/:keyId/limits', async (request, response) => {
    await limits.clearKeyLimits(request.params.keyId);
    response.status(204).end();
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
