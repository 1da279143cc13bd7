import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type CorsOrigins, defaultBodyLimitBytes, type Memgate, MemgateError, type Principal } from '@memgate/core';
import { refuseCrossOriginUpgrade } from '@memgate/runtime';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { MemgateYoga } from './create-yoga.ts';
import { maskError } from './graphql-errors.ts';

/** Close code for a `connection_init` without a valid key; graphql-ws clients do not retry it. */
export const UNAUTHORIZED_CLOSE_CODE = 4401;

interface ConnectionState extends Record<PropertyKey, unknown> {
  principal: Principal;
  closed: AbortController;
}

type Enveloped = ReturnType<MemgateYoga['getEnveloped']>;
/** Yoga's own execute/subscribe travel in `rootValue`, as in yoga's graphql-ws recipe. */
type EnvelopedRoot = Pick<Enveloped, 'execute' | 'subscribe'>;

/** graphql-ws on a `ws` server in noServer mode: the caller routes upgrades to `handleUpgrade`. */
export interface GraphqlWsServer {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection (1001) and the server. */
  close(): Promise<void>;
}

/**
 * The graphql-ws protocol over the same yoga pipeline as HTTP (schema, context, masking). The key
 * comes in the `connection_init` payload `{ authorization: "Bearer …" }` (or the upgrade request's
 * `Authorization` header); without a valid one the socket is closed with 4401.
 */
export function createGraphqlWsServer(
  memgate: Memgate,
  yoga: MemgateYoga,
  options: { maxPayloadBytes?: number | undefined; corsOrigins?: CorsOrigins | undefined } = {},
): GraphqlWsServer {
  // Frames carry whole requests, images included: the same limit as an HTTP body.
  const maxPayload = options.maxPayloadBytes ?? defaultBodyLimitBytes();
  const wsServer = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload });
  const server = useServer<Record<string, unknown>, ConnectionState>(
    {
      onConnect: async (ctx) => {
        const fromPayload = ctx.connectionParams?.['authorization'];
        const authorization = typeof fromPayload === 'string' ? fromPayload : ctx.extra.request.headers.authorization;
        try {
          ctx.extra.principal = await memgate.admin.authenticate(authorization);
          ctx.extra.closed = new AbortController();
          return true;
        } catch (error) {
          const normalised = MemgateError.fromUnknown(error);
          if (normalised.code !== 'UNAUTHENTICATED') console.error('memgate: graphql-ws authentication failed', error);
          // Closing first makes graphql-ws's own 4403 (sent on `false`) a no-op on a closing socket.
          ctx.extra.socket.close(UNAUTHORIZED_CLOSE_CODE, `Unauthorized: ${normalised.message}`.slice(0, 120));
          return false;
        }
      },
      onClose: (ctx) => {
        ctx.extra.closed?.abort(new DOMException('The WebSocket closed.', 'AbortError'));
      },
      execute: (args: ExecutionArgs) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args: ExecutionArgs) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        try {
          const enveloped = yoga.getEnveloped({
            principal: ctx.extra.principal,
            connectionSignal: ctx.extra.closed?.signal,
            params,
          });
          const document = enveloped.parse(params.query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return errors.map(maskError);
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
          return [maskError(error)];
        }
      },
    },
    wsServer,
  );
  return {
    handleUpgrade(request, socket, head) {
      if (refuseCrossOriginUpgrade(request, socket, options.corsOrigins ?? [])) return;
      wsServer.handleUpgrade(request, socket, head, (client) => wsServer.emit('connection', client, request));
    },
    close: () => server.dispose() as Promise<void>,
  };
}
