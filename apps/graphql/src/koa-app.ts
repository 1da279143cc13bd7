import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import {
  acceptRequestId,
  defaultBodyLimitBytes,
  type Memgate,
  MemgateError,
  readiness,
  traceCarrier,
} from '@memgate/core';
import { guardSlowReader, type Observability, type StreamLimits } from '@memgate/runtime';
import Koa from 'koa';
import type { MemgateYoga } from './create-yoga.ts';
import { graphiqlAsset } from './graphiql-page.ts';
import { maskError } from './graphql-errors.ts';
import { type GraphqlRequestState, runInRequest } from './request-state.ts';

export interface KoaAppOptions {
  /** Largest accepted request body (by `Content-Length`, which is required); larger ones get 413. Default: the core's `defaultBodyLimitBytes()`. */
  bodyLimitBytes?: number;
  /** The process's logger and metrics; default: silent. */
  observability?: Observability;
  /** Slow readers of SSE subscriptions: stall timeout and send-buffer cap. Default: `DEFAULT_STREAM_LIMITS` (30 s, 16 MiB). */
  stream?: StreamLimits;
}

const KNOWN_PATHS = new Set(['/graphql', '/healthz', '/readyz']);

/**
 * The request id (a valid inbound `x-request-id`, else a new one), echoed on every response, SSE
 * included, and one log line per request once its response has closed.
 */
function requestLogging(observability: Observability): Koa.Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const carrier = traceCarrier((name) => ctx.get(name) || undefined);
    const state: GraphqlRequestState = {
      requestId: acceptRequestId(ctx.get('x-request-id') || undefined),
      ...(carrier && { carrier }),
      userId: null,
      agentId: null,
      operation: null,
    };
    ctx.set('x-request-id', state.requestId);
    ctx.res.once('close', () => {
      observability.requestFinished({
        protocol: 'graphql',
        method: ctx.method,
        // Never the raw path of an unknown URL: every one would be its own series.
        route: KNOWN_PATHS.has(ctx.path) ? ctx.path : 'unmatched',
        status: ctx.res.statusCode,
        durationMs: performance.now() - started,
        requestId: state.requestId,
        userId: state.userId,
        agentId: state.agentId,
        ...(state.operation && { operation: state.operation }),
      });
    });
    await runInRequest(state, next);
  };
}

/** Health probes, for when the GraphQL app runs alone (the shared server's REST app has its own). */
function health(memgate: Memgate): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || (ctx.path !== '/healthz' && ctx.path !== '/readyz')) return next();
    if (ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    const { httpStatus, body } = await readiness(memgate);
    ctx.status = httpStatus;
    ctx.body = body;
  };
}

/** GraphiQL's script, stylesheet, icon and editor workers (the page itself is yoga's). */
const graphiqlAssets: Koa.Middleware = async (ctx, next) => {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
  const asset = await graphiqlAsset(ctx.path);
  if (!asset) return next();
  ctx.type = asset.contentType;
  ctx.set('cache-control', 'public, max-age=86400');
  ctx.body = asset.body;
};

/**
 * An SSE response's first write of an event-loop turn leaves at once (a stream's first token waits
 * for nothing); the writes that follow it in the same turn — a burst of events the upstream
 * delivered in one read — are corked and leave together once the turn's I/O callbacks are done, in
 * one system call instead of one each. Node corks a response only until the next tick, which each
 * event of yoga's stream outlasts.
 */
function batchWrites(response: ServerResponse): void {
  const write = response.write;
  let batching = false;
  // The socket itself: a finished response lets go of it (keep-alive) before the flush.
  let corked: Socket | null = null;
  const flush = () => {
    batching = false;
    corked?.uncork();
    corked = null;
  };
  response.write = function batchedWrite(this: ServerResponse, ...args: Parameters<ServerResponse['write']>) {
    if (!batching) {
      batching = true;
      setImmediate(flush);
    } else if (!corked && response.socket) {
      corked = response.socket;
      corked.cork();
    }
    return write.apply(this, args);
  } as ServerResponse['write'];
}

/** How a write or read fails when the client closed its connection (reset, or half-written to). */
const CLIENT_LEFT_CODES = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE']);

/**
 * Koa serving yoga: HTTP queries and mutations, and subscriptions over SSE. Once `shutdown` aborted,
 * a connection whose response finishes is closed: kept alive, it would hold the HTTP server's
 * close open until the client dropped it.
 */
export function createKoaApp(
  memgate: Memgate,
  yoga: MemgateYoga,
  shutdown: AbortSignal,
  options: KoaAppOptions = {},
): Koa {
  const bodyLimit = options.bodyLimitBytes ?? defaultBodyLimitBytes();
  const koa = new Koa();
  koa.on('error', (error: { code?: string }) => {
    // A client that leaves mid-stream (SSE) is no server error.
    if (!CLIENT_LEFT_CODES.has(error.code ?? '')) console.error('memgate: GraphQL HTTP error', error);
  });
  if (options.observability) koa.use(requestLogging(options.observability));
  koa.use(health(memgate));
  koa.use(graphiqlAssets);
  koa.use(async (ctx) => {
    if (Number(ctx.get('content-length') || 0) > bodyLimit) {
      const tooLarge = new MemgateError('PAYLOAD_TOO_LARGE', `Request body is larger than ${bodyLimit} bytes.`, {
        detailCode: 'payload_too_large',
      });
      ctx.status = 413;
      ctx.body = { errors: [maskError(tooLarge).toJSON()] };
      return;
    }
    // Yoga reads the body itself, so the limit above is only as good as Content-Length: a chunked
    // body without one could be any size. Node's parser holds a body to its declared length.
    if (ctx.get('transfer-encoding') && !ctx.get('content-length')) {
      const unsized = new MemgateError('LENGTH_REQUIRED', 'Send the request body with a Content-Length header.', {
        detailCode: 'length_required',
      });
      ctx.status = 411;
      ctx.body = { errors: [maskError(unsized).toJSON()] };
      return;
    }
    // SSE frames must leave at once, not wait to be coalesced.
    ctx.req.socket.setNoDelay(true);
    ctx.res.once('finish', () => {
      if (shutdown.aborted) ctx.req.socket.end();
    });
    // Yoga writes `request` and `params` onto the server context it is given: a fresh object keeps
    // Koa's own `ctx.request` intact.
    const response = await yoga.handleNodeRequestAndResponse(ctx.request, ctx.res, {});
    // A client gone before the answer gets none: Koa would destroy the body unread, and yoga's SSE
    // stream, cancelled before its first read, throws an uncaught TypeError (a chat stream's turn
    // ends on the request's abort instead, see openChatStream).
    if (ctx.res.destroyed || !ctx.writable) return;
    response.headers.forEach((value, key) => {
      ctx.append(key, value);
    });
    // Koa pipes Node streams. Yoga's (ponyfilled) body stream is a Node Readable underneath: piped
    // as it is, each SSE event goes straight to the socket, without an async iterator and a second
    // Readable in between (any other body stream is async iterable). Koa destroys the Readable when
    // the client leaves, which cancels the stream and so returns the subscription.
    const body = response.body as unknown as (AsyncIterable<Uint8Array> & { readable?: unknown }) | null;
    ctx.body = body ? (body.readable instanceof Readable ? body.readable : Readable.from(body)) : null;
    // A subscriber that stops reading is cut off: Koa then destroys the body, which returns the
    // subscription and so ends its turn and frees the agent, as when a client leaves.
    if (body && response.headers.get('content-type')?.startsWith('text/event-stream')) {
      guardSlowReader(ctx.res, options.stream);
      batchWrites(ctx.res);
    }
    // After the body: Koa turns a null body into 204 unless the status is set afterwards.
    ctx.status = response.status;
  });
  return koa;
}
