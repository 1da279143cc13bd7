/**
 * Round trips to PostgreSQL per stateful turn. memgate runs in this process on a PostgresStore
 * that reaches the database through the testkit's counting relay, which reads the wire protocol
 * (Sync and Query messages), so the count is what the driver really sent, whatever the code path.
 * Needs DATABASE_URL; runs in a schema of its own, dropped at the end.
 */
import { startMemgateServer } from '@memgate/server';
import { createTestMemgate, startMockUpstream, startPostgresRoundTripCounter } from '@memgate/testkit';
import { openBenchStore } from './bench-store.ts';
import { table } from './latency.ts';

const TURNS = Number(process.env['BENCH_RT_TURNS'] ?? 50);

const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl) throw new Error('DATABASE_URL is not set');
const counter = await startPostgresRoundTripCounter(databaseUrl);
process.env['DATABASE_URL'] = counter.connectionString;
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
      upstream.requests.splice(0);
    };
    // Warm-up turns first: the first ones also prepare statements and may open connections.
    for (let index = 0; index < 5; index++) await turn(index);
    const before = { roundTrips: counter.roundTrips, connections: counter.connections };
    for (let index = 0; index < TURNS; index++) await turn(index);
    rows.push([
      stream ? 'streaming' : 'non-streaming',
      String(TURNS),
      ((counter.roundTrips - before.roundTrips) / TURNS).toFixed(2),
      String(counter.connections - before.connections),
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
  await counter.close();
}
