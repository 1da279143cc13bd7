import {
  assertJsonDepth,
  type CorsOrigins,
  defaultBodyLimitBytes,
  type Memgate,
  MemgateError,
  readiness,
} from '@memgate/core';
import { type Observability, quietObservability, type StreamLimits } from '@memgate/runtime';
import express, { type Express } from 'express';
import { openaiConversationRoutes } from './conversations-api/openai-conversation-routes.ts';
import { corsMiddleware } from './cors-middleware.ts';
import { errorHandler } from './error-response.ts';
import { docsRoutes } from './openapi/docs-routes.ts';
import { authenticate } from './principal.ts';
import { requestLogging } from './request-logging.ts';
import { responseRoutes } from './responses/response-routes.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { agentFileBody, agentFileRoutes } from './routes/agent-file-routes.ts';
import { agentRoutes } from './routes/agent-routes.ts';
import { blockRoutes } from './routes/block-routes.ts';
import { chatRoutes } from './routes/chat-routes.ts';
import { conversationRoutes } from './routes/conversation-routes.ts';
import { mcpServerRoutes } from './routes/mcp-server-routes.ts';
import { usageRoutes } from './routes/usage-routes.ts';

export interface RestAppOptions {
  /** Largest accepted request body; larger ones get 413. Default: the core's `defaultBodyLimitBytes()` (room for one largest image). */
  bodyLimitBytes?: number;
  /** Browser origins allowed by CORS (MEMGATE_CORS_ORIGINS). Default: none. */
  corsOrigins?: CorsOrigins;
  /** The process's logger and metrics (request lines, `memgate_http_*`); default: silent. */
  observability?: Observability;
  /** Slow readers of SSE streams: stall timeout and send-buffer cap. Default: `DEFAULT_STREAM_LIMITS` (30 s, 16 MiB). */
  stream?: StreamLimits;
}

/** The REST adapter: Express routes that translate HTTP to core calls and back. */
export function createRestApp(memgate: Memgate, options: RestAppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // First: every response, errors included, carries the request id.
  app.use(requestLogging(options.observability ?? quietObservability()));
  app.use(corsMiddleware(options.corsOrigins ?? []));
  // An Agent File import has its own limit and shapes (multipart): its caller is known before its
  // body (up to MEMGATE_MAX_IMPORT_BYTES) is read, ahead of the JSON parser.
  app.post('/v1/agents/import', authenticate(memgate), agentFileBody(memgate));
  // Any content type is read as JSON: `curl -d` sends form encoding by default.
  app.use(express.json({ limit: options.bodyLimitBytes ?? defaultBodyLimitBytes(), type: () => true, strict: false }));
  // Every body, on every route, within the core's depth limit (422 at the field) before any handler sees it.
  app.use((request, _response, next) => {
    assertJsonDepth(request.body);
    next();
  });

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', async (_request, response) => {
    const { httpStatus, body } = await readiness(memgate);
    response.status(httpStatus).json(body);
  });

  app.use(docsRoutes());
  app.use('/v1/admin', adminRoutes(memgate));
  app.use(
    '/v1',
    authenticate(memgate),
    chatRoutes(memgate, options.stream),
    agentFileRoutes(memgate),
    agentRoutes(memgate),
    blockRoutes(memgate),
    conversationRoutes(memgate),
    responseRoutes(memgate, options.stream),
    openaiConversationRoutes(memgate),
    usageRoutes(memgate),
    mcpServerRoutes(memgate),
  );
  app.use((request, _response, next) => {
    next(
      new MemgateError('NOT_FOUND', `No route for ${request.method} ${request.path}.`, { detailCode: 'unknown_route' }),
    );
  });
  app.use(errorHandler);
  return app;
}
