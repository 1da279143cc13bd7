import type { Memgate, TurnTiming } from '@memgate/core';
import type { StreamLimits } from '@memgate/runtime';
import { Router } from 'express';
import { clientSignal } from '../client-signal.ts';
import { conversationOfHeaders } from '../conversation-headers.ts';
import { sendError } from '../error-response.ts';
import { principalOf } from '../principal.ts';
import { requestContext } from '../request-logging.ts';
import { serverTiming } from '../server-timing.ts';
import { pipeResponseEvents } from './response-sse.ts';

/** OpenAI's Responses API: `POST /v1/responses` (JSON or SSE) and the stored responses' routes. */
export function responseRoutes(memgate: Memgate, streamLimits?: StreamLimits): Router {
  const router = Router();
  const { responses } = memgate;

  router.post('/responses', async (request, response) => {
    const startedAt = performance.now();
    const timing: TurnTiming = { upstreamMs: 0, upstreamCalls: 0 };
    const controller = clientSignal(response);
    const principal = principalOf(response);
    const body: unknown = request.body;
    const context = requestContext(request, response);
    const wantsStream = typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
    const call = { signal: controller.signal, timing, context, ...conversationOfHeaders(request) };
    const noteAgent = () => {
      if (timing.agentId) response.locals['agentId'] = timing.agentId;
      if (timing.conversationId && !response.headersSent) {
        response.setHeader('x-memgate-conversation', timing.conversationId);
      }
    };
    try {
      if (!wantsStream) {
        const created = await responses.create(principal, body, call);
        noteAgent();
        response.setHeader('server-timing', serverTiming(timing, startedAt));
        response.json(created);
        return;
      }
      const events = await responses.stream(principal, body, call);
      noteAgent();
      await pipeResponseEvents(response, events, { 'server-timing': serverTiming(timing, startedAt) }, streamLimits);
    } catch (error) {
      noteAgent();
      if (controller.signal.aborted) return;
      sendError(response, error);
    }
  });
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
