import { CHANNEL_CLOSE_CODES, ChatChannelSession, type Memgate, type Principal } from '@memgate/core';
import { TOO_MANY_CONNECTIONS_CLOSE_CODE, type UserConnections } from '@memgate/runtime';
import type { RawData, WebSocket } from 'ws';
import { type SendBufferStats, SocketTransport } from './socket-transport.ts';

export interface ConnectionSettings {
  authTimeoutMs: number;
  maxInFlight: number;
  maxSubscriptions: number;
  highWaterMarkBytes: number;
  maxBufferedBytes: number;
  stallMs: number;
  stats: SendBufferStats;
  onInternalError: (error: unknown) => void;
  /** Open connections per user; a connection that authenticates with its first frame is counted then. */
  userConnections: UserConnections;
  /**
   * Told once a connection has closed and its turns have let go, just before `closed` resolves.
   * One function for every connection: an idle connection holds no callback of its own for it.
   */
  onClosed: (connection: ChannelConnection) => void;
}

/**
 * What one connection brings from its upgrade. Kept apart from the channel's settings, which every
 * connection shares as one object: a copy of them per connection would cost each idle connection.
 */
export interface ConnectionOrigin {
  /** Authenticated at the upgrade (`Authorization`), or null: the first frame must be `auth`. */
  principal: Principal | null;
  /** The connection's request id (its upgrade's `x-request-id`, or new). */
  requestId: string;
  carrier: Readonly<Record<string, string>> | undefined;
  /** The count of a connection authenticated at the upgrade (taken there), given back on close. */
  release: (() => void) | undefined;
}

/** One upgraded socket bound to its protocol session. */
export interface ChannelConnection {
  socket: WebSocket;
  session: ChatChannelSession;
  /** Cleared on every keepalive ping, set again by the pong (or any frame). */
  alive: boolean;
  /** Resolves once the socket has closed and its turns have let go of their agents. */
  closed: Promise<void>;
  /** The close code once the socket has closed (1005 until then, and when none was given). */
  closeCode: number;
  /** When the connection was opened (`performance.now()`), for its log line. */
  openedAt: number;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

// ws reports protocol errors (an oversized frame: 1009) as `error` and closes the socket itself.
const ignore = () => undefined;

/** Binds a session to an upgraded socket: frames in, frames out, auth timeout, cleanup on close. */
export function attachConnection(
  socket: WebSocket,
  memgate: Memgate,
  settings: ConnectionSettings,
  origin: ConnectionOrigin,
): ChannelConnection {
  const { principal, requestId, carrier } = origin;
  let authTimer: NodeJS.Timeout | undefined;
  let release = origin.release;
  const admit = (authenticated: Principal) => {
    clearTimeout(authTimer);
    if (release) return;
    release = settings.userConnections.acquire(authenticated.userId) ?? undefined;
    // Closing here, before `session.created`: the session sends nothing more on a closing socket.
    if (!release) socket.close(TOO_MANY_CONNECTIONS_CLOSE_CODE, settings.userConnections.error().message);
  };
  const session = new ChatChannelSession({
    memgate,
    transport: new SocketTransport(socket, settings),
    principal,
    maxInFlight: settings.maxInFlight,
    maxSubscriptions: settings.maxSubscriptions,
    onAuthenticated: admit,
    onInternalError: settings.onInternalError,
    requestId,
    ...(carrier && { carrier }),
  });
  const closed = new Promise<void>((resolve) => {
    socket.on('close', (code: number) => {
      connection.closeCode = code;
      clearTimeout(authTimer);
      release?.();
      const finish = () => {
        settings.onClosed(connection);
        resolve();
      };
      // A client that leaves cancels its turns' upstream calls (contract §4).
      void session.close().then(finish, finish);
    });
  });
  const connection: ChannelConnection = {
    socket,
    session,
    alive: true,
    closed,
    closeCode: 1005,
    openedAt: performance.now(),
  };
  socket.on('pong', () => {
    connection.alive = true;
  });
  socket.on('message', (data) => {
    connection.alive = true;
    void session.receive(textOf(data));
  });
  socket.on('error', ignore);
  if (!principal) {
    authTimer = setTimeout(() => {
      if (!session.authenticated) socket.close(CHANNEL_CLOSE_CODES.unauthenticated, 'No authentication in time.');
    }, settings.authTimeoutMs);
  }
  session.start();
  return connection;
}
