import type { Memgate } from '@memgate/core';
import type { StreamLimits } from '@memgate/runtime';
import { Router } from 'express';
import { principalOf } from '../principal.ts';
import { serveTurn } from '../turn-route.ts';
import { pipeResponseEvents } from './response-sse.ts';

/** OpenAI's Responses API: `POST /v1/responses` (JSON or SSE) and the stored responses' routes. */
export function responseRoutes(memgate: Memgate, streamLimits?: StreamLimits): Router {
  const router = Router();
  const { responses } = memgate;

  const route = {
    complete: responses.create.bind(responses),
    stream: responses.stream.bind(responses),
    pipe: pipeResponseEvents,
  };
  router.post('/responses', (request, response) => serveTurn(request, response, route, streamLimits));
  router.get('/responses/:responseId', async (request, response) => {
    response.json(await responses.get(principalOf(response), request.params.responseId));
  });
  router.delete('/responses/:responseId', async (request, response) => {
    response.json(await responses.delete(principalOf(response), request.params.responseId));
  });
  router.get('/responses/:responseId/input_items', async (request, response) => {
    response.json(await responses.inputItems(principalOf(response), request.params.responseId, request.query));
  });
  router.post('/responses/:responseId/cancel', async (request, response) => {
    response.json(await responses.cancel(principalOf(response), request.params.responseId));
  });
  return router;
}
