import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptRequestId, type RequestContext, traceCarrier } from '@memgate/core';
import type { Observability, RequestEntry } from '@memgate/runtime';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';

type LoggedRequest = IncomingMessage & { id?: unknown };

/** The request id pino-http assigned (the valid inbound `x-request-id`, or a new one). */
export function requestIdOf(response: ServerResponse): string {
  const id = (response.req as LoggedRequest | undefined)?.id;
  return typeof id === 'string' ? id : '';
}

/** What the core needs to know of the request: its id, protocol and trace headers. */
export function requestContext(request: Request, response: Response): RequestContext {
  const carrier = traceCarrier((name) => request.headers[name]);
  return { requestId: requestIdOf(response), protocol: 'rest', ...(carrier && { carrier }) };
}

/** The matched route pattern (never the raw path: ids would make every request its own series). */
function routeOf(request: Request): string {
  const pattern = (request as Request & { route?: { path?: unknown } }).route?.path;
  if (typeof pattern !== 'string') return 'unmatched';
  const url = request.originalUrl;
  const prefix = url.startsWith('/v1/admin/') ? '/v1/admin' : url.startsWith('/v1/') ? '/v1' : '';
  return `${prefix}${pattern}`;
}

function entryOf(request: Request, response: Response, durationMs: number): RequestEntry {
  const principal = response.locals['principal'] as { userId?: string } | undefined;
  const agentId = response.locals['agentId'];
  return {
    protocol: 'rest',
    method: request.method,
    route: routeOf(request),
    path: request.originalUrl.split('?')[0] ?? '/',
    status: response.statusCode,
    durationMs,
    requestId: requestIdOf(response),
    userId: principal?.userId ?? null,
    agentId: typeof agentId === 'string' ? agentId : null,
  };
}

/**
 * pino-http on the process's logger: takes a valid `x-request-id` or makes one, echoes it, binds
 * it to `request.log`, and writes one line per request with the same fields as GraphQL and WS.
 */
export function requestLogging(observability: Observability): RequestHandler {
  const log = pinoHttp<Request, Response>({
    logger: observability.logger,
    genReqId: (request, response) => {
      const id = acceptRequestId(request.headers['x-request-id']);
      response.setHeader('x-request-id', id);
      return id;
    },
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (request, response, value: { responseTime: number }) =>
      entryOf(request, response, value.responseTime),
    customErrorObject: (request, response, error, value: { responseTime: number }) => ({
      ...entryOf(request, response, value.responseTime),
      err: error,
    }),
  });
  return (request, response, next) => {
    const started = performance.now();
    response.once('close', () => observability.observeRequest(entryOf(request, response, performance.now() - started)));
    log(request, response, next);
  };
}
