import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  acceptRequestId,
  type CorsOrigins,
  defaultBodyLimitBytes,
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  type Memgate,
  MemgateError,
  type Principal,
  traceCarrier,
} from '@memgate/core';
import {
  type Observability,
  refuseCrossOriginUpgrade,
  type StreamLimits,
  TOO_MANY_CONNECTIONS_CLOSE_CODE,
  UserConnections,
} from '@memgate/runtime';
import {
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLError,
  type GraphQLFormattedError,
  getOperationAST,
  Kind,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type MemgateYoga, operationLabel } from './create-yoga.ts';
import { maskError } from './graphql-errors.ts';
import { type GraphqlRequestState, runInRequest } from './request-state.ts';
import { batchSends } from './ws-batched-send.ts';
import { WsOperations } from './ws-operations.ts';
import { guardWebSocketReader } from './ws-slow-reader.ts';

/** How often a shutdown looks whether the running operations have finished. */
const DRAIN_POLL_MS = 25;

/** Close code for a `connection_init` without a valid key; graphql-ws clients do not retry it. */
export const UNAUTHORIZED_CLOSE_CODE = 4401;

interface ConnectionState extends Record<PropertyKey, unknown> {
  principal: Principal;
  closed: AbortController;
  /** Stops watching the connection's key (revocation, expiry). */
  stopWatchingKey?: () => void;
  /** The connection's request id (its upgrade's `x-request-id` or a new one) and log fields. */
  requestState: GraphqlRequestState;
  openedAt: number;
  /** Its running operations, each logged when it ends. */
  operations: WsOperations;
  /** Gives the connection's place in the per-user count back. */
  release?: () => void;
  /** Ids of the turns running on the connection, so that a shutdown can wait for them. */
  running?: Set<string>;
}

type Enveloped = ReturnType<MemgateYoga['getEnveloped']>;
/** Yoga's own execute/subscribe travel in `rootValue`, as in yoga's graphql-ws recipe. */
type EnvelopedRoot = Pick<Enveloped, 'execute' | 'subscribe'>;

/** graphql-ws on a `ws` server in noServer mode: the caller routes upgrades to `handleUpgrade`. */
export interface GraphqlWsServer {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Refuses new operations, waits for the running ones (chat turns; `agentEvents` streams must be
   * ended by the caller) up to `deadlineMs`, then closes every connection (1001) and the server.
   */
  close(deadlineMs?: number): Promise<void>;
}

/**
 * The graphql-ws protocol over the same yoga pipeline as HTTP (schema, context, masking). The key
 * comes in the `connection_init` payload `{ authorization: "Bearer …" }` (or the upgrade request's
 * `Authorization` header); without a valid one the socket is closed with 4401.
 */
export function createGraphqlWsServer(
  memgate: Memgate,
  yoga: MemgateYoga,
  options: {
    maxPayloadBytes?: number | undefined;
    corsOrigins?: CorsOrigins | undefined;
    /** Operations in flight on one connection; one more fails with RATE_LIMITED. Default: 64. */
    maxOperations?: number | undefined;
    observability: Observability;
    /** Slow subscribers: send-buffer cap and stall timeout. */
    stream?: StreamLimits | undefined;
    /** Open connections per user (shared with the chat channel when given the same instance). */
    userConnections?: UserConnections | undefined;
  },
): GraphqlWsServer {
  const { observability } = options;
  const maxOperations = options.maxOperations ?? MAX_SUBSCRIPTIONS_PER_CONNECTION;
  const userConnections = options.userConnections ?? new UserConnections();
  /** The running turns of every open connection. */
  const open = new Set<Set<string>>();
  let draining = false;
  const connections = observability.metrics.websocketConnections.labels({ channel: 'graphql' });
  // Frames carry whole requests, images included: the same limit as an HTTP body.
  const maxPayload = options.maxPayloadBytes ?? defaultBodyLimitBytes();
  const wsServer = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload });
  const server = useServer<Record<string, unknown>, ConnectionState>(
    {
      onConnect: async (ctx) => {
        const headers = ctx.extra.request.headers;
        const carrier = traceCarrier((name) => headers[name]);
        ctx.extra.openedAt = performance.now();
        ctx.extra.requestState = {
          requestId: acceptRequestId(headers['x-request-id']),
          ...(carrier && { carrier }),
          userId: null,
          agentId: null,
          operation: null,
        };
        const fromPayload = ctx.connectionParams?.['authorization'];
        const authorization = typeof fromPayload === 'string' ? fromPayload : ctx.extra.request.headers.authorization;
        try {
          ctx.extra.principal = await memgate.admin.authenticate(authorization);
          ctx.extra.requestState.userId = ctx.extra.principal.userId;
          const release = userConnections.acquire(ctx.extra.principal.userId);
          if (!release) {
            ctx.extra.socket.close(TOO_MANY_CONNECTIONS_CLOSE_CODE, userConnections.error().message);
            return false;
          }
          ctx.extra.release = release;
          ctx.extra.running = new Set();
          open.add(ctx.extra.running);
          ctx.extra.closed = new AbortController();
          // The connection lives no longer than its key: revoked on any instance, or expired, it closes with 4401.
          const { socket } = ctx.extra;
          // Not for a socket that closed while its key was looked up: onClose has run already.
          if (socket.readyState === socket.OPEN) {
            ctx.extra.stopWatchingKey = memgate.admin.watchSession(ctx.extra.principal, (reason) =>
              socket.close(UNAUTHORIZED_CLOSE_CODE, reason),
            );
          }
          ctx.extra.operations = new WsOperations(ctx.extra.requestState, observability);
          connections.inc();
          return true;
        } catch (error) {
          const normalised = MemgateError.fromUnknown(error);
          if (normalised.code !== 'UNAUTHENTICATED') console.error('memgate: graphql-ws authentication failed', error);
          // Closing first makes graphql-ws's own 4403 (sent on `false`) a no-op on a closing socket.
          ctx.extra.socket.close(UNAUTHORIZED_CLOSE_CODE, `Unauthorized: ${normalised.message}`.slice(0, 120));
          return false;
        }
      },
      onClose: (ctx, code) => {
        ctx.extra.stopWatchingKey?.();
        ctx.extra.release?.();
        if (ctx.extra.running) open.delete(ctx.extra.running);
        if (ctx.extra.closed) connections.dec();
        ctx.extra.closed?.abort(new DOMException('The WebSocket closed.', 'AbortError'));
        ctx.extra.operations?.closeAll();
        const state = ctx.extra.requestState;
        if (!state) return;
        observability.requestFinished({
          protocol: 'graphql',
          method: 'WS',
          route: '/graphql',
          status: code ?? 1005,
          durationMs: performance.now() - (ctx.extra.openedAt ?? performance.now()),
          requestId: state.requestId,
          userId: state.userId,
          agentId: state.agentId,
        });
      },
      // Yoga's `http` extension picks an HTTP status line; a WebSocket message has none.
      execute: (args: ExecutionArgs) =>
        runInRequest(stateOf(args), () => (args.rootValue as EnvelopedRoot).execute(args)),
      subscribe: (args: ExecutionArgs) =>
        runInRequest(stateOf(args), () => (args.rootValue as EnvelopedRoot).subscribe(args)),
      onSubscribe: async (ctx, id, params) => {
        // Operations come only after `connection_init` was accepted, which created the operations.
        const requestState = ctx.extra.operations!.start(id, params.extensions ?? undefined);
        if (draining) {
          const closing = new MemgateError('SERVICE_UNAVAILABLE', 'The server is shutting down.', {
            detailCode: 'shutting_down',
          });
          return runInRequest(requestState, () => [maskError(closing)]);
        }
        // graphql-ws registers the operation before this hook: it counts itself. Refused with an
        // `error` for its id alone, which clients deliver to that operation; the connection stays.
        if (Object.keys(ctx.subscriptions).length > maxOperations) {
          const refusal = new MemgateError(
            'RATE_LIMITED',
            `At most ${maxOperations} operations may run at once on one graphql-ws connection; complete one first.`,
            { detailCode: 'too_many_subscriptions' },
          );
          return runInRequest(requestState, () => [maskError(refusal)]);
        }
        try {
          const enveloped = yoga.getEnveloped({
            principal: ctx.extra.principal,
            connectionSignal: ctx.extra.closed?.signal,
            requestState,
            params,
          });
          // In the operation's request context: errors carry its id.
          const document = runInRequest(requestState, () => enveloped.parse(params.query));
          requestState.operation = operationLabel(document, params.operationName);
          const errors = runInRequest(requestState, () => enveloped.validate(enveloped.schema, document));
          if (errors.length > 0) return errors;
          // A shutdown waits for turns; `agentEvents` never ends by itself and is ended by the app.
          if (!followsEvents(document, params.operationName)) ctx.extra.running?.add(id);
          const root: EnvelopedRoot = { execute: enveloped.execute, subscribe: enveloped.subscribe };
          return {
            schema: enveloped.schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            contextValue: await enveloped.contextFactory(),
            rootValue: root,
          };
        } catch (error) {
          // A syntax error must fail the operation, not close the connection (graphql-ws's default).
          return runInRequest(requestState, () => [maskError(error)]);
        }
      },
      onNext: (ctx, id, _payload, _args, result) => {
        ctx.extra.operations?.next(id, result.errors);
        return result.errors ? { ...result, errors: result.errors.map(withoutHttp) } : undefined;
      },
      onError: (ctx, id, _payload, errors) => {
        ctx.extra.running?.delete(id);
        ctx.extra.operations?.error(id, errors);
        return errors.map(withoutHttp);
      },
      // Still listed when the server ended it; removed first when the client completed it or left.
      onComplete: (ctx, id) => {
        ctx.extra.running?.delete(id);
        ctx.extra.operations?.complete(id, id in ctx.subscriptions);
      },
    },
    wsServer,
  );
  return {
    handleUpgrade(request, socket, head) {
      if (refuseCrossOriginUpgrade(request, socket, options.corsOrigins ?? [])) return;
      wsServer.handleUpgrade(request, socket, head, (client) => {
        guardWebSocketReader(client, options.stream);
        batchSends(client);
        wsServer.emit('connection', client, request);
      });
    },
    async close(deadlineMs = 30_000) {
      draining = true;
      const deadline = performance.now() + deadlineMs;
      const busy = () => [...open].some((running) => running.size > 0);
      while (busy() && performance.now() < deadline) await sleep(DRAIN_POLL_MS);
      await server.dispose();
    },
  };
}

function withoutHttp(error: GraphQLError): GraphQLFormattedError {
  const formatted: GraphQLFormattedError = typeof error.toJSON === 'function' ? error.toJSON() : error;
  if (!formatted.extensions || !('http' in formatted.extensions)) return formatted;
  const { http: _http, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

/** Whether the operation is an `agentEvents` subscription (open-ended, unlike a turn). */
function followsEvents(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  return (
    operation?.selectionSet.selections.some(
      (selection) => selection.kind === Kind.FIELD && selection.name.value === 'agentEvents',
    ) ?? false
  );
}

/** The connection's request state, from the context the operation was built with. */
function stateOf(args: ExecutionArgs): GraphqlRequestState {
  return (args.contextValue as { request: GraphqlRequestState }).request;
}
