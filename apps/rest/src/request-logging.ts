import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptRequestId, type RequestContext, traceCarrier } from '@memgate/core';
import type { Observability, RequestEntry } from '@memgate/runtime';
import type { Request, RequestHandler, Response } from 'express';

type Logger = Observability['logger'];

const kLogger = Symbol('memgate.requestLogger');
const kRequestLog = Symbol('memgate.requestLog');

type LoggedRequest = IncomingMessage & { id?: unknown; [kLogger]?: Logger; [kRequestLog]?: Logger };

/** The request id the logging middleware assigned (the valid inbound `x-request-id`, or a new one). */
export function requestIdOf(response: ServerResponse): string {
  const id = (response.req as LoggedRequest | undefined)?.id;
  return typeof id === 'string' ? id : '';
}

/**
 * The request's logger: the process's logger with the request's `requestId` bound. Made on first
 * use (an error, or the request's own line), so a request that logs nothing makes no child logger;
 * undefined before the logging middleware has run.
 */
export function requestLogOf(request: IncomingMessage | undefined): Logger | undefined {
  const logged = request as LoggedRequest | undefined;
  const logger = logged?.[kLogger];
  if (!logged || !logger) return undefined;
  let log = logged[kRequestLog];
  if (!log) {
    log = logger.child({ requestId: logged.id });
    logged[kRequestLog] = log;
  }
  return log;
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
 * Takes a valid `x-request-id` or makes one, echoes it, and writes one line per request with the
 * same fields as GraphQL and WS (the fields, level and message pino-http wrote before: `error`
 * with an `err` for a failed response or a 5xx, else `info`; `durationMs` in whole milliseconds
 * until the response finished or closed), on the request's logger (its `requestId` bound). Every
 * request is timed in `memgate_http_request_duration_seconds` when it closes. Nothing is built
 * for a line the logger's level would drop.
 */
export function requestLogging(observability: Observability): RequestHandler {
  const logger = observability.logger;
  return (request, response, next) => {
    const started = performance.now();
    const startedAt = Date.now();
    const logged = request as LoggedRequest;
    if (!logged.id) {
      const id = acceptRequestId(request.headers['x-request-id']);
      response.setHeader('x-request-id', id);
      logged.id = id;
    }
    logged[kLogger] = logger;
    let written = false;
    const writeLine = (error: unknown) => {
      if (written) return;
      written = true;
      response.off('error', onError);
      const failure =
        error ?? (response.statusCode >= 500 ? new Error(`failed with status code ${response.statusCode}`) : undefined);
      const level = failure === undefined ? 'info' : 'error';
      if (!logger.isLevelEnabled(level)) return;
      const entry = entryOf(request, response, Date.now() - startedAt);
      const log = requestLogOf(request) as Logger;
      if (failure === undefined) log.info(entry, 'request');
      else log.error({ ...entry, err: failure }, 'request');
    };
    const onFinish = () => writeLine(undefined);
    const onError = (error: unknown) => writeLine(error);
    response.on('close', () => {
      observability.observeRequest(entryOf(request, response, performance.now() - started));
      writeLine(undefined);
    });
    response.on('finish', onFinish);
    response.on('error', onError);
    next();
  };
}
