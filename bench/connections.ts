/**
 * What does an idle connection, and an agent that has run, cost memgate in memory? memgate runs in
 * its own process with --expose-gc and reports `process.memoryUsage()` after full collections;
 * 5,000 authenticated chat-channel connections are held open by another process, so their client
 * side is not counted. Then N agents are created and run one turn each.
 */
import { execFileSync } from 'node:child_process';
import { startChild } from './child-process.ts';
import { type ProcessStack, startProcessStack } from './process-stack.ts';
import type { MemorySnapshot } from './processes/memgate-main.ts';
import type { WsClientsReady } from './processes/ws-clients-main.ts';
import { writeResults } from './results-file.ts';

const WANTED_CONNECTIONS = Number(process.env['BENCH_WS_CONNECTIONS'] ?? 5000);
const AGENTS = Number(process.env['BENCH_AGENTS'] ?? 1000);
// Decimal kilobytes, the unit of the goal (20 KB per idle connection).
const KB = 1000;

/** Memory growth per item, in KB (1,000 bytes), by measure. */
export interface PerItem {
  count: number;
  rssKb: number;
  /** V8 heap in use plus memory outside it held by JS objects (buffers, native handles). */
  heapAndExternalKb: number;
}

export interface ConnectionResults {
  /** The soft open-files limit of this shell, inherited by the children. */
  openFilesLimit: number;
  connectSeconds: number;
  perConnection: PerItem;
  perAgent: PerItem;
}

function openFilesLimit(): number {
  const value = execFileSync('bash', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  return value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value);
}

function perItem(before: MemorySnapshot, after: MemorySnapshot, count: number): PerItem {
  const kb = (bytes: number) => Math.round((bytes / count / KB) * 100) / 100;
  return {
    count,
    rssKb: kb(after.rss - before.rss),
    heapAndExternalKb: kb(after.heapUsed + after.external - (before.heapUsed + before.external)),
  };
}

/** One turn per agent, a few at a time. */
async function turns(stack: ProcessStack, agents: string[]): Promise<void> {
  const queue = [...agents];
  const worker = async () => {
    for (let agent = queue.shift(); agent; agent = queue.shift()) await turn(stack, agent);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function turn(stack: ProcessStack, agent: string): Promise<void> {
  const response = await fetch(`${stack.memgate.ready.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...stack.auth },
    body: JSON.stringify({ model: 'mock-model', user: agent, messages: [{ role: 'user', content: 'Hello!' }] }),
  });
  if (!response.ok) throw new Error(`a turn answered ${response.status}`);
  await response.arrayBuffer();
}

async function measureConnections(stack: ProcessStack, count: number) {
  const env = {
    BENCH_WS_URL: `${stack.memgate.ready.url.replace(/^http/, 'ws')}/v1/chat/ws`,
    BENCH_API_KEY: stack.memgate.ready.apiKey,
  };
  // A first small batch loads and compiles the channel's code, which must not count per connection.
  const warm = await startChild<WsClientsReady>('processes/ws-clients-main.ts', {
    env: { ...env, BENCH_WS_CONNECTIONS: '100' },
  });
  await warm.stop();
  const before = await stack.memory();
  const clients = await startChild<WsClientsReady>('processes/ws-clients-main.ts', {
    env: { ...env, BENCH_WS_CONNECTIONS: String(count) },
  });
  const after = await stack.memory();
  await clients.stop();
  return { perConnection: perItem(before, after, clients.ready.opened), connectSeconds: clients.ready.seconds };
}

async function measureAgents(stack: ProcessStack, count: number): Promise<PerItem> {
  await turns(stack, await stack.createAgents(20, 'warm-up'));
  const before = await stack.memory();
  await turns(stack, await stack.createAgents(count, 'cached'));
  return perItem(before, await stack.memory(), count);
}

const limit = openFilesLimit();
// Each connection is one descriptor in the server; keep room for the database, the upstream and stdio.
const connections = Math.min(WANTED_CONNECTIONS, limit - 200);
if (connections < WANTED_CONNECTIONS) {
  console.log(`ulimit -n is ${limit}: measuring ${connections} connections instead of ${WANTED_CONNECTIONS}`);
}
const stack = await startProcessStack();
try {
  const { perConnection, connectSeconds } = await measureConnections(stack, connections);
  const perAgent = await measureAgents(stack, AGENTS);
  const results: ConnectionResults = { openFilesLimit: limit, connectSeconds, perConnection, perAgent };
  console.log(`\nconnections: ${perConnection.count} idle chat-channel connections opened in ${connectSeconds} s`);
  console.log(`  per connection: ${perConnection.rssKb} KB RSS, ${perConnection.heapAndExternalKb} KB heap+external`);
  console.log(`  per agent after one turn (${perAgent.count} agents): ${perAgent.rssKb} KB RSS,`);
  console.log(`    ${perAgent.heapAndExternalKb} KB heap+external`);
  console.log(`written to ${writeResults('connections', { ...results })}`);
} finally {
  await stack.stop();
}
