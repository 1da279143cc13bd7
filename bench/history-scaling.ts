/**
 * Does a turn get slower as an agent's life gets longer? Runs the same turns, interleaved, on an
 * agent with 10 stored messages and on one with 10,000 messages and 10,000 archival passages, each
 * on its own SQLite file behind its own REST server and mock upstream, and compares latencies.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { echoResponder, type Responder, sendMessage } from '@memgate/testkit';
import { startStack } from './bench-stack.ts';
import { type LatencyStats, stats, table, timed } from './latency.ts';
import { historyMessages, seedLongLife } from './seed-history.ts';

const TURNS = Number(process.env['BENCH_TURNS'] ?? 60);
const WARMUP = 10;
const EMBEDDING_MODEL = 'mock-embedding';
const GOAL_RATIO = 1.2;

/** A turn in which the agent searches archival memory, then its history, then answers. */
const searchingResponder: Responder = (request) => {
  const last = request.body.messages.at(-1);
  if (last?.role === 'user') {
    return {
      toolCalls: [{ name: 'archival_memory_search', arguments: { query: 'gardening notes', request_heartbeat: true } }],
    };
  }
  // Both agents make the same three calls, whatever their searches found.
  if (
    last?.role === 'tool' &&
    request.body.messages.at(-2)?.tool_calls?.[0]?.function.name === 'archival_memory_search'
  ) {
    return { toolCalls: [{ name: 'conversation_search', arguments: { query: 'sailing', request_heartbeat: true } }] };
  }
  return sendMessage('Found what I needed.');
};

const scenarios: { name: string; responder: Responder }[] = [
  { name: 'plain turn', responder: echoResponder },
  { name: 'turn with archival + conversation search', responder: searchingResponder },
];

async function main(): Promise<void> {
  let current: Responder = echoResponder;
  const responder: Responder = (request) => current(request);
  const small = await startStack({ embeddingModel: EMBEDDING_MODEL, responder });
  const big = await startStack({ embeddingModel: EMBEDDING_MODEL, responder });
  try {
    // A large window on both, so that no summarisation happens during the run: it measures history, not windows.
    const agentBody = { context_window: 128_000 };
    const smallAgent = await small.createAgent(agentBody);
    const bigAgent = await big.createAgent(agentBody);
    await small.store.commitStep({ agentId: smallAgent, messages: historyMessages(smallAgent, 10) });
    const seedMs = await timed(() =>
      seedLongLife(big.store, bigAgent, {
        messages: 10_000,
        passages: 10_000,
        inContext: 10,
        embeddingModel: EMBEDDING_MODEL,
      }),
    );
    console.log(`seeded the big agent (10,000 messages, 10,000 embedded passages) in ${Math.round(seedMs)} ms`);

    const results: { scenario: string; small: LatencyStats; big: LatencyStats; ratio: number }[] = [];
    for (const scenario of scenarios) {
      current = scenario.responder;
      const samples = { small: [] as number[], big: [] as number[] };
      for (let index = 0; index < WARMUP + TURNS; index++) {
        const content = `Turn ${index}: how is my garden doing?`;
        // Alternate which agent goes first, so drift (GC, caches) hits both alike.
        const order = index % 2 === 0 ? (['small', 'big'] as const) : (['big', 'small'] as const);
        for (const which of order) {
          const stack = which === 'small' ? small : big;
          const elapsed = await timed(() => stack.turn(which === 'small' ? smallAgent : bigAgent, content));
          if (index >= WARMUP) samples[which].push(elapsed);
        }
      }
      const smallStats = stats(samples.small);
      const bigStats = stats(samples.big);
      results.push({
        scenario: scenario.name,
        small: smallStats,
        big: bigStats,
        ratio: round(bigStats.median / smallStats.median),
      });
    }
    report(results, seedMs);
  } finally {
    await small.close();
    await big.close();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function report(
  results: { scenario: string; small: LatencyStats; big: LatencyStats; ratio: number }[],
  seedMs: number,
) {
  const rows = [['scenario', 'small median', 'small p95', 'big median', 'big p95', 'ratio (median)']];
  for (const result of results) {
    rows.push([
      result.scenario,
      `${result.small.median} ms`,
      `${result.small.p95} ms`,
      `${result.big.median} ms`,
      `${result.big.p95} ms`,
      `${result.ratio}${results.indexOf(result) === 0 ? (result.ratio <= GOAL_RATIO ? ' ✓' : ' ✗') : ''}`,
    ]);
  }
  console.log(
    `\nhistory scaling: turn latency through POST /v1/chat/completions (SQLite, mock upstream, ${TURNS} turns each)`,
  );
  console.log('small = 10 stored messages; big = 10,000 stored messages + 10,000 archival passages,');
  console.log(
    'seeded as summarisation leaves a long-lived agent: its history behind a summary, 10 messages in its window\n',
  );
  console.log(table(rows));
  console.log(`\ngoal: plain-turn ratio <= ${GOAL_RATIO}`);
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'history-scaling.json');
  mkdirSync(dirname(file), { recursive: true });
  const payload = {
    date: new Date().toISOString(),
    node: process.version,
    turns: TURNS,
    warmup: WARMUP,
    goalRatio: GOAL_RATIO,
    seedMs: Math.round(seedMs),
    results,
  };
  writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  console.log(`written to ${file}`);
}

await main();
