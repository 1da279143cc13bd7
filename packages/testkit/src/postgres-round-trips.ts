import { connect, createServer, type Socket } from 'node:net';

/** A TCP relay in front of PostgreSQL that counts the round trips its clients ask for. */
export interface PostgresRoundTripCounter {
  /** The database URL with its host and port pointing at the relay. */
  connectionString: string;
  /** Round trips so far, over every connection: Sync (end of an extended-protocol exchange) plus simple Query messages. */
  readonly roundTrips: number;
  /** Connections opened through the relay so far. */
  readonly connections: number;
  close(): Promise<void>;
}

// The startup packet has no type byte; an SSL request is answered by one byte and followed by a second startup packet.
const SSL_REQUEST = 80877103;

/**
 * Starts a relay to the database of `databaseUrl` on 127.0.0.1, port 0. It reads the client side
 * of PostgreSQL's wire protocol as the bytes pass and counts each message that waits for the
 * server's answer, so the count is what the driver really sent, whichever code path sent it.
 */
export async function startPostgresRoundTripCounter(databaseUrl: string): Promise<PostgresRoundTripCounter> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  let roundTrips = 0;
  let connections = 0;
  const relay = createServer((client) => {
    connections++;
    const server = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    const count = wireReader(() => roundTrips++);
    client.on('data', (chunk: Buffer) => {
      count(chunk);
      server.write(chunk);
    });
    server.pipe(client);
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no port');
  const relayed = new URL(databaseUrl);
  relayed.hostname = '127.0.0.1';
  relayed.port = String(address.port);
  return {
    connectionString: relayed.toString(),
    get roundTrips() {
      return roundTrips;
    },
    get connections() {
      return connections;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

/** Splits one connection's client bytes into messages and calls `onRoundTrip` for each Sync or Query. */
function wireReader(onRoundTrip: () => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (!started) {
        if (pending.length < 8) return;
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        started = pending.readInt32BE(4) !== SSL_REQUEST;
        pending = pending.subarray(length);
        continue;
      }
      if (pending.length < 5) return;
      const length = pending.readInt32BE(1);
      if (pending.length < 1 + length) return;
      const type = pending[0];
      // 'S' (Sync) and 'Q' (Query).
      if (type === 0x53 || type === 0x51) onRoundTrip();
      pending = pending.subarray(1 + length);
    }
  };
}
