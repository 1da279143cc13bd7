import type { Memgate, TurnTiming } from '@memgate/core';
import type { StreamLimits } from '@memgate/runtime';
import { Router } from 'express';
import { clientSignal } from '../client-signal.ts';
import { sendError } from '../error-response.ts';
import { principalOf } from '../principal.ts';
import { requestContext } from '../request-logging.ts';
import { serverTiming } from '../server-timing.ts';
import { pipeSse } from '../sse-response.ts';

/** POST /v1/chat/completions: JSON or SSE, as the body's `stream` asks. */
export function chatRoutes(memgate: Memgate, streamLimits?: StreamLimits): Router {
  const router = Router();
  router.post('/chat/completions', async (request, response) => {
    const startedAt = performance.now();
    const timing: TurnTiming = { upstreamMs: 0, upstreamCalls: 0 };
    const controller = clientSignal(response);
    const principal = principalOf(response);
    const body: unknown = request.body;
    const context = requestContext(request, response);
    const wantsStream = typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
    // For the request's log line, known once the core has resolved the agent.
    const noteAgent = () => {
      if (timing.agentId) response.locals['agentId'] = timing.agentId;
    };
    try {
      if (!wantsStream) {
        const completion = await memgate.chat.complete(principal, body, { signal: controller.signal, timing, context });
        noteAgent();
        response.setHeader('server-timing', serverTiming(timing, startedAt));
        response.json(completion);
        return;
      }
      const chunks = await memgate.chat.stream(principal, body, { signal: controller.signal, timing, context });
      noteAgent();
      // Headers leave with the first chunk, so Server-Timing reports time to first output.
      await pipeSse(response, chunks, { 'server-timing': serverTiming(timing, startedAt) }, streamLimits);
    } catch (error) {
      noteAgent();
      if (controller.signal.aborted) return;
      sendError(response, error);
    }
  });
  return router;
}
