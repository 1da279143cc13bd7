import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  acceptRequestId,
  type CorsOrigins,
  defaultBodyLimitBytes,
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
import { type DocumentNode, type ExecutionArgs, getOperationAST, Kind } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { MemgateYoga } from './create-yoga.ts';
import { maskError } from './graphql-errors.ts';
import { type GraphqlRequestState, runInRequest } from './request-state.ts';
import { guardWebSocketReader } from './ws-slow-reader.ts';

/** How often a shutdown looks whether the running operations have finished. */
const DRAIN_POLL_MS = 25;

/** Close code for a `connection_init` without a valid key; graphql-ws clients do not retry it. */
export const UNAUTHORIZED_CLOSE_CODE = 4401;

interface ConnectionState extends Record<PropertyKey, unknown> {
  principal: Principal;
  closed: AbortController;
  /** The connection's request id (its upgrade's `x-request-id` or a new one) and log fields. */
  requestState: GraphqlRequestState;
  openedAt: number;
  /** Gives the connection's place in the per-user count back. */
  release?: () => void;
  /** Ids of the operations running on the connection, so that a shutdown can wait for them. */
  operations?: Set<string>;
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
    observability: Observability;
    /** Slow subscribers: send-buffer cap and stall timeout. */
    stream?: StreamLimits | undefined;
    /** Open connections per user (shared with the chat channel when given the same instance). */
    userConnections?: UserConnections | undefined;
  },
): GraphqlWsServer {
  const { observability } = options;
  const userConnections = options.userConnections ?? new UserConnections();
  /** The running operations of every open connection. */
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
          ctx.extra.operations = new Set();
          open.add(ctx.extra.operations);
          ctx.extra.closed = new AbortController();
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
        ctx.extra.release?.();
        if (ctx.extra.operations) open.delete(ctx.extra.operations);
        if (ctx.extra.closed) connections.dec();
        ctx.extra.closed?.abort(new DOMException('The WebSocket closed.', 'AbortError'));
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
      execute: (args: ExecutionArgs) =>
        runInRequest(stateOf(args), () => (args.rootValue as EnvelopedRoot).execute(args)),
      subscribe: (args: ExecutionArgs) =>
        runInRequest(stateOf(args), () => (args.rootValue as EnvelopedRoot).subscribe(args)),
      onComplete: (ctx, id) => void ctx.extra.operations?.delete(id),
      onError: (ctx, id) => void ctx.extra.operations?.delete(id),
      onSubscribe: async (ctx, id, params) => {
        if (draining) {
          const closing = new MemgateError('SERVICE_UNAVAILABLE', 'The server is shutting down.', {
            detailCode: 'shutting_down',
          });
          return runInRequest(ctx.extra.requestState!, () => [maskError(closing)]);
        }
        try {
          const enveloped = yoga.getEnveloped({
            principal: ctx.extra.principal,
            connectionSignal: ctx.extra.closed?.signal,
            requestState: ctx.extra.requestState,
            params,
          });
          const document = enveloped.parse(params.query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return runInRequest(ctx.extra.requestState!, () => errors.map(maskError));
          // A shutdown waits for turns; `agentEvents` never ends by itself and is ended by the app.
          if (!followsEvents(document, params.operationName)) ctx.extra.operations?.add(id);
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
          return runInRequest(ctx.extra.requestState!, () => [maskError(error)]);
        }
      },
    },
    wsServer,
  );
  return {
    handleUpgrade(request, socket, head) {
      if (refuseCrossOriginUpgrade(request, socket, options.corsOrigins ?? [])) return;
      wsServer.handleUpgrade(request, socket, head, (client) => {
        guardWebSocketReader(client, options.stream);
        wsServer.emit('connection', client, request);
      });
    },
    async close(deadlineMs = 30_000) {
      draining = true;
      const deadline = performance.now() + deadlineMs;
      const busy = () => [...open].some((operations) => operations.size > 0);
      while (busy() && performance.now() < deadline) await sleep(DRAIN_POLL_MS);
      await server.dispose();
    },
  };
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
