import type { Memgate } from '@memgate/core';
import { Router } from 'express';
import { principalOf } from '../principal.ts';

/** The caller's usage: what their upstream calls cost, grouped (`GET /v1/usage`); their limits (`GET /v1/limits`). */
export function usageRoutes(memgate: Memgate): Router {
  const router = Router();
  router.get('/usage', async (request, response) => {
    response.json(await memgate.usage.report(principalOf(response), request.query));
  });
  router.get('/limits', async (_request, response) => {
    response.json(await memgate.limits.caller(principalOf(response)));
  });
  return router;
}
