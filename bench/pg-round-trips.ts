/**
 * Round trips to PostgreSQL per stateful turn. memgate runs in this process on a PostgresStore
 * that reaches the database through a TCP relay; the relay reads the client's side of the wire
 * protocol and counts the messages that wait for the server (Sync ends an extended-protocol
 * exchange, Query a simple one), so the count is what the driver really sent, whatever the code
 * path. Needs DATABASE_URL; runs in a schema of its own, dropped at the end.
 */
import { connect, createServer, type Socket } from 'node:net';
import { startMemgateServer } from '@memgate/server';
import { createTestMemgate, startMockUpstream } from '@memgate/testkit';
import { openBenchStore } from './bench-store.ts';
import { table } from './latency.ts';

const TURNS = Number(process.env['BENCH_RT_TURNS'] ?? 50);
const SSL_REQUEST = 80877103;

const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl) throw new Error('DATABASE_URL is not set');
const target = new URL(databaseUrl);
let roundTrips = 0;
let connections = 0;

/** Counts the round trips one client connection asks for, as its bytes pass. */
function counter() {
  let pending = Buffer.alloc(0);
  let started = false;
  return (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (!started) {
        // The startup packet has no type byte; an SSL request is followed by a second startup packet.
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
      const type = String.fromCharCode(pending[0]!);
      if (type === 'S' || type === 'Q') roundTrips++;
      pending = pending.subarray(1 + length);
    }
  };
}

const relay = createServer((client: Socket) => {
  connections++;
  const server = connect(Number(target.port || 5432), target.hostname);
  const count = counter();
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
process.env['DATABASE_URL'] = relayed.toString();
process.env['BENCH_STORE'] = 'postgres';

const upstream = await startMockUpstream();
const { store, drop } = await openBenchStore(() => {
  throw new Error('unreachable: BENCH_STORE is postgres');
});
const test = await createTestMemgate({ store, upstreamUrl: upstream.url });
const server = await startMemgateServer({ memgate: test.memgate, port: 0 });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${test.apiKey}` };
try {
  const created = await fetch(`${server.url}/v1/agents`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'round-trips', context_window: 1_000_000 }),
  });
  const agent = ((await created.json()) as { id: string }).id;
  const rows = [['mode', 'turns', 'round trips/turn', 'new connections']];
  for (const stream of [false, true]) {
    const turn = async (index: number) => {
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: 'mock-model',
          user: agent,
          stream,
          messages: [{ role: 'user', content: `hi ${index}` }],
        }),
      });
      if (!response.ok) throw new Error(`turn answered ${response.status}`);
      await response.text();
      // Writes the store does not wait for (the key's last use) land before the next turn is counted.
      upstream.requests.splice(0);
    };
    for (let index = 0; index < 5; index++) await turn(index);
    const before = { roundTrips, connections };
    for (let index = 0; index < TURNS; index++) await turn(index);
    rows.push([
      stream ? 'streaming' : 'non-streaming',
      String(TURNS),
      ((roundTrips - before.roundTrips) / TURNS).toFixed(2),
      String(connections - before.connections),
    ]);
  }
  console.log(table(rows));
} finally {
  server.server.closeAllConnections();
  await server.close();
  await test.memgate.close();
  await upstream.close();
  process.env['DATABASE_URL'] = databaseUrl;
  await drop();
  relay.close();
}
