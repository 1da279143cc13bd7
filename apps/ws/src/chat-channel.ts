import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  acceptRequestId,
  CHANNEL_CLOSE_CODES,
  type CorsOrigins,
  defaultBodyLimitBytes,
  type Memgate,
  MemgateError,
  type Principal,
  traceCarrier,
} from '@memgate/core';
import {
  type Observability,
  quietObservability,
  refuseCrossOriginUpgrade,
  refuseUpgrade,
  UserConnections,
} from '@memgate/runtime';
import { WebSocketServer } from 'ws';
import { attachConnection, type ChannelConnection } from './channel-connection.ts';
import { closeConnection } from './graceful-close.ts';
import type { SendBufferStats } from './socket-transport.ts';

export interface ChatChannelOptions {
  /** Largest accepted frame; a larger one closes the connection with 1009. Default: the core's `defaultBodyLimitBytes()` (room for one largest image). */
  maxPayloadBytes?: number;
  /** Time an unauthenticated connection has to send a valid `auth` frame (else 4401). Default 5 s. */
  authTimeoutMs?: number;
  /** Interval of server pings; a socket that has not answered the previous one is terminated. Default 30 s. */
  keepaliveIntervalMs?: number;
  /** Turns in flight per connection. Default 8. */
  maxInFlight?: number;
  /** Agents followed per connection. Default 64. */
  maxSubscriptions?: number;
  /** Send-buffer size above which streams pause for a slow reader. Default 256 KiB. */
  highWaterMarkBytes?: number;
  /** Send-buffer size at which a client that does not read is closed with 1008. Default 16 MiB. */
  maxBufferedBytes?: number;
  /** A paused stream whose send buffer has not shrunk for this long cuts the client off (MEMGATE_STREAM_STALL_MS). Default 30 s. */
  stallMs?: number;
  /** How long `close()` lets in-flight turns run before cancelling them. Default 30 s. */
  shutdownTimeoutMs?: number;
  /** Browser origins allowed to open the channel (MEMGATE_CORS_ORIGINS); others get 403. Default: none. */
  corsOrigins?: CorsOrigins;
  /** Told about unexpected errors; defaults to the logger's `error`. */
  onInternalError?: (error: unknown) => void;
  /** The process's logger and metrics (a line per connection, `memgate_websocket_connections`); default: silent. */
  observability?: Observability;
  /**
   * Open connections per user (MEMGATE_MAX_WS_CONNECTIONS_PER_USER), shared with graphql-ws when
   * both get the same instance; one over is refused 429 at the upgrade or closed 4429 at `auth`.
   * Default: a count of its own, 32 per user.
   */
  userConnections?: UserConnections;
}

/** Counters for operators and tests. */
export interface ChatChannelStats extends SendBufferStats {
  connections: number;
}

/** The WebSocket chat channel (`/v1/chat/ws`), to be mounted on any node:http server's `upgrade`. */
export interface ChatChannel {
  /** Takes over an upgrade request for the channel's path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  stats(): ChatChannelStats;
  /** Refuses new turns and connections, lets in-flight turns finish (up to the deadline), closes with 1001. */
  close(): Promise<void>;
}

/** An upgrade's request id (its `x-request-id`, or new) and W3C trace context. */
function upgradeIdentity(request: IncomingMessage) {
  return {
    requestId: acceptRequestId(request.headers['x-request-id']),
    carrier: traceCarrier((name) => request.headers[name]),
  };
}

/** Creates the chat channel of contract §8 over `ws`, bound to the core's protocol session. */
export function createChatChannel(memgate: Memgate, options: ChatChannelOptions = {}): ChatChannel {
  const stats: SendBufferStats = { maxBufferedBytes: 0, backpressurePauses: 0 };
  const observability = options.observability ?? quietObservability();
  const open = observability.metrics.websocketConnections.labels({ channel: 'chat' });
  /** Each upgrade's request id, echoed in the 101 response's `x-request-id`. */
  const requestIds = new WeakMap<IncomingMessage, string>();
  const settings = {
    authTimeoutMs: options.authTimeoutMs ?? 5_000,
    maxInFlight: options.maxInFlight ?? 8,
    maxSubscriptions: options.maxSubscriptions ?? 64,
    highWaterMarkBytes: options.highWaterMarkBytes ?? 256 * 1024,
    maxBufferedBytes: options.maxBufferedBytes ?? 16 * 1024 * 1024,
    stallMs: options.stallMs ?? 30_000,
    stats,
    userConnections: options.userConnections ?? new UserConnections(),
    onInternalError:
      options.onInternalError ?? ((error: unknown) => observability.logger.error({ err: error }, 'internal error')),
    onClosed(connection: ChannelConnection) {
      connections.delete(connection);
      open.dec();
      // One line per connection, once it has closed: its turns have their own lines.
      observability.requestFinished({
        protocol: 'ws',
        method: 'WS',
        route: '/v1/chat/ws',
        status: connection.closeCode,
        durationMs: performance.now() - connection.openedAt,
        requestId: connection.session.requestId,
        userId: connection.session.userId,
        agentId: null,
      });
    },
  };
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
  const server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: options.maxPayloadBytes ?? defaultBodyLimitBytes(),
  });
  server.on('headers', (headers, request) => {
    const id = requestIds.get(request);
    if (id) headers.push(`x-request-id: ${id}`);
  });
  const connections = new Set<ChannelConnection>();
  let closing: Promise<void> | null = null;

  const keepalive = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, options.keepaliveIntervalMs ?? 30_000);
  keepalive.unref();

  const upgrade = (
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    principal: Principal | null,
    release?: () => void,
  ) => {
    // Read apart, so that no closure the connection keeps holds the request (its headers and their strings).
    const { requestId, carrier } = upgradeIdentity(request);
    requestIds.set(request, requestId);
    server.handleUpgrade(request, socket, head, (webSocket) => {
      // The socket is the connection's now: its `close` gives the count back from here on.
      if (release) socket.off('close', release);
      const connection = attachConnection(webSocket, memgate, settings, { principal, requestId, carrier, release });
      connections.add(connection);
      open.inc();
      if (closing) webSocket.close(CHANNEL_CLOSE_CODES.goingAway, 'Server shutting down.');
    });
  };

  return {
    handleUpgrade(request, socket, head) {
      if (closing) {
        refuseUpgrade(socket, new MemgateError('SERVICE_UNAVAILABLE', 'The server is shutting down.'));
        return;
      }
      if (refuseCrossOriginUpgrade(request, socket, options.corsOrigins ?? [])) return;
      const authorization = request.headers.authorization;
      // No header: a browser, which authenticates with its first frame instead.
      if (authorization === undefined) return upgrade(request, socket, head, null);
      // The socket has no error listener until ws takes it; a reset meanwhile must not crash the process.
      const ignore = () => undefined;
      socket.on('error', ignore);
      memgate.admin.authenticate(authorization).then(
        (principal) => {
          socket.off('error', ignore);
          const release = settings.userConnections.acquire(principal.userId);
          if (!release) return refuseUpgrade(socket, settings.userConnections.error());
          // A socket that dies before the upgrade completes gives its count back.
          socket.once('close', release);
          upgrade(request, socket, head, principal, release);
        },
        (error: unknown) => refuseUpgrade(socket, error),
      );
    },
    stats: () => ({ connections: connections.size, ...stats }),
    close() {
      closing ??= (async () => {
        clearInterval(keepalive);
        await Promise.all([...connections].map((connection) => closeConnection(connection, shutdownTimeoutMs)));
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
