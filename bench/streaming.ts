/**
 * What does memgate add to a stream? The upstream streams a `send_message` reply at a known pace;
 * the same turn is timed straight from the upstream and through each of memgate's four streaming
 * protocols (REST SSE, GraphQL SSE, graphql-ws, the WebSocket chat channel), interleaved round by
 * round. Time to first token = until the first piece of reply text reaches the client. Then a long
 * reply streamed as fast as the upstream can write measures how fast each protocol relays chunks.
 */
import { stats, table } from './latency.ts';
import { startProcessStack } from './process-stack.ts';
import { writeResults } from './results-file.ts';
import type { StreamTiming } from './sse-timing.ts';
import { connectStreamClients, STREAM_PROTOCOLS, type StreamProtocol } from './stream-clients.ts';

const ROUNDS = Number(process.env['BENCH_STREAM_ROUNDS'] ?? 40);
const WARMUP_ROUNDS = 5;
const RELAY_ROUNDS = 8;
const CHUNK_DELAY_MS = 5;
const CHUNK_SIZE = 8;
const REPLY = 'The weather today is mild, with a light breeze from the west.';
const LONG_REPLY = 'A long answer streamed as fast as the upstream can write it. '.repeat(60);

/** Per protocol, as written to results/streaming.json. */
export interface StreamingProtocolResult {
  protocol: StreamProtocol;
  ttftMedian: number;
  ttftP90: number;
  /** Median TTFT minus the upstream's own median TTFT (0 for the upstream). */
  ttftAdded: number;
  /** Reply-text pieces per second while a long reply streams. */
  chunksPerSecond: number;
  /** Reply characters per second while a long reply streams. */
  charactersPerSecond: number;
  /** Content pieces the client received for the long reply (the upstream sent one per 8 characters). */
  relayChunks: number;
  /**
   * memgate's process CPU per paced turn (the TTFT rounds), read before and after each turn: work
   * left over after a turn's last byte counts for the next turn, whose protocol rotates.
   */
  cpuMsPerTurn: number;
  /** memgate's process CPU per relayed content piece of the long reply, in µs. */
  relayCpuUsPerChunk: number;
}

export interface StreamingResults {
  rounds: number;
  chunkDelayMs: number;
  chunkSize: number;
  protocols: StreamingProtocolResult[];
}

/** `--cpu-prof` on memgate (`bench:profile results/profiles/streaming/<file>` summarises it); the profiler's own CPU skews the timings. */
const PROFILING = Boolean(process.env['BENCH_CPU_PROF']);

const stack = await startProcessStack({
  memgateFlags: PROFILING ? ['--cpu-prof', '--cpu-prof-dir=results/profiles/streaming'] : [],
});
const clients = await connectStreamClients({
  upstreamUrl: stack.upstream.ready.url,
  memgateUrl: stack.memgate.ready.url,
  apiKey: stack.memgate.ready.apiKey,
});
try {
  // One agent per protocol and phase, so every protocol's turns see the same history length.
  const agentsOf = async (phase: string) => {
    const ids = await stack.createAgents(STREAM_PROTOCOLS.length, phase);
    return Object.fromEntries(STREAM_PROTOCOLS.map((protocol, index) => [protocol, ids[index]!]));
  };
  const runRounds = async (rounds: number, agents: Record<string, string>) => {
    const timings = Object.fromEntries(STREAM_PROTOCOLS.map((protocol) => [protocol, [] as StreamTiming[]]));
    const cpuMs = Object.fromEntries(STREAM_PROTOCOLS.map((protocol) => [protocol, 0]));
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so drift (GC, other processes) does not always land on the same protocol.
      const order = STREAM_PROTOCOLS.map((_, index) => STREAM_PROTOCOLS[(index + round) % STREAM_PROTOCOLS.length]!);
      for (const protocol of order) {
        const cpuBefore = await stack.memgate.cpuMs();
        timings[protocol]!.push(
          await clients.turns[protocol](agents[protocol]!, `Round ${round}: how is the weather?`),
        );
        cpuMs[protocol]! += (await stack.memgate.cpuMs()) - cpuBefore;
      }
    }
    return { timings, cpuMs };
  };

  await stack.pace({ reply: REPLY, chunkSize: CHUNK_SIZE, chunkDelayMs: CHUNK_DELAY_MS });
  const paced = await agentsOf('ttft');
  await runRounds(WARMUP_ROUNDS, paced);
  const { timings: ttft, cpuMs: ttftCpuMs } = await runRounds(ROUNDS, paced);

  await stack.pace({ reply: LONG_REPLY, chunkSize: CHUNK_SIZE, chunkDelayMs: 0 });
  const { timings: relay, cpuMs: relayCpuMs } = await runRounds(RELAY_ROUNDS, await agentsOf('relay'));

  const median = (values: number[]) => stats(values).median;
  const upstreamTtft = median(ttft['upstream']!.map((timing) => timing.firstContentMs));
  const protocols = STREAM_PROTOCOLS.map((protocol): StreamingProtocolResult => {
    const first = stats(ttft[protocol]!.map((timing) => timing.firstContentMs));
    const long = relay[protocol]!;
    const seconds = (timing: StreamTiming) => (timing.lastContentMs - timing.firstContentMs) / 1000;
    return {
      protocol,
      ttftMedian: first.median,
      ttftP90: stats(ttft[protocol]!.map((timing) => timing.firstContentMs)).p90,
      ttftAdded: Math.round((first.median - upstreamTtft) * 100) / 100,
      chunksPerSecond: Math.round(median(long.map((timing) => (timing.contentChunks - 1) / seconds(timing)))),
      charactersPerSecond: Math.round(median(long.map((timing) => timing.contentCharacters / seconds(timing)))),
      relayChunks: Math.round(median(long.map((timing) => timing.contentChunks))),
      cpuMsPerTurn: Math.round((ttftCpuMs[protocol]! / ROUNDS) * 100) / 100,
      relayCpuUsPerChunk: Math.round(
        (relayCpuMs[protocol]! * 1000) / long.reduce((sum, timing) => sum + timing.contentChunks, 0),
      ),
    };
  });
  report({ rounds: ROUNDS, chunkDelayMs: CHUNK_DELAY_MS, chunkSize: CHUNK_SIZE, protocols });
} finally {
  await clients.close();
  await stack.stop();
}

function report(results: StreamingResults): void {
  const rows = [
    ['protocol', 'TTFT median', 'TTFT p90', 'added', 'chunks/s', 'chars/s', 'chunks', 'CPU ms/turn', 'CPU µs/chunk'],
  ];
  for (const result of results.protocols) {
    rows.push([
      result.protocol,
      `${result.ttftMedian} ms`,
      `${result.ttftP90} ms`,
      `${result.ttftAdded} ms`,
      String(result.chunksPerSecond),
      String(result.charactersPerSecond),
      String(result.relayChunks),
      String(result.cpuMsPerTurn),
      String(result.relayCpuUsPerChunk),
    ]);
  }
  console.log(
    `\nstreaming: upstream paces ${results.chunkSize}-character pieces ${results.chunkDelayMs} ms apart; ${results.rounds} rounds\n`,
  );
  console.log(table(rows));
  console.log(`written to ${writeResults('streaming', { ...results })}`);
}
