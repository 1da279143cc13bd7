import type { Memgate } from '@memgate/core';
import type { StreamLimits } from '@memgate/runtime';
import { Router } from 'express';
import { transcriptOfHeaders } from '../conversation-headers.ts';
import { pipeSse } from '../sse-response.ts';
import { serveTurn } from '../turn-route.ts';

/** POST /v1/chat/completions: JSON or SSE, as the body's `stream` asks. */
export function chatRoutes(memgate: Memgate, streamLimits?: StreamLimits): Router {
  const router = Router();
  const route = {
    complete: memgate.chat.complete.bind(memgate.chat),
    stream: memgate.chat.stream.bind(memgate.chat),
    pipe: pipeSse,
    headers: transcriptOfHeaders,
  };
  router.post('/chat/completions', (request, response) => serveTurn(request, response, route, streamLimits));
  return router;
}
