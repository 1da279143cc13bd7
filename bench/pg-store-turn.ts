/**
 * The PostgreSQL store's share of a turn, without HTTP or the upstream: the store calls the core
 * makes for one stateful turn (key lookup, the agent twice, pending calls, the retry look-back,
 * the summary with the window, and the two commits), in the same order and grouping, one turn at
 * a time. Like the sequential bench, a fresh agent every BENCH_STORE_TURNS_PER_AGENT turns (20), so
 * windows hold 0 to 38 messages; set it high to see a long history. Reports wall time and this
 * process's CPU per turn. Needs DATABASE_URL; runs in a schema of its own, dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import type { NewMessage } from '@memgate/core';
import { DEFAULT_AGENT_SETTINGS } from '@memgate/core';
import { openBenchStore } from './bench-store.ts';
import { median, percentile, table } from './latency.ts';

const TURNS = Number(process.env['BENCH_STORE_TURNS'] ?? 400);
const TURNS_PER_AGENT = Number(process.env['BENCH_STORE_TURNS_PER_AGENT'] ?? 20);
const WARMUP = 60;
process.env['BENCH_STORE'] = 'postgres';

const { store, drop } = await openBenchStore(() => {
  throw new Error('unreachable: BENCH_STORE is postgres');
});
const message = (agentId: string, role: 'user' | 'assistant', content: string): NewMessage => ({
  id: `msg-${randomUUID()}`,
  agentId,
  role,
  content,
  toolCalls: null,
  toolCallId: null,
  name: null,
  createdAt: new Date().toISOString(),
  tokenCount: 12,
});
try {
  await store.migrate();
  const user = { id: `user-${randomUUID()}`, name: `bench-${randomUUID()}`, createdAt: new Date().toISOString() };
  await store.createUser(user);
  const keyHash = randomUUID();
  await store.createApiKey({
    id: `key-${randomUUID()}`,
    userId: user.id,
    keyHash,
    prefix: 'mg-',
    createdAt: user.createdAt,
    scope: 'full',
    expiresAt: null,
    lastUsedAt: null,
  });
  // Created up front, so that agent creation is not in the figures.
  const agents: string[] = [];
  for (let index = 0; index < Math.ceil((WARMUP + TURNS) / TURNS_PER_AGENT); index++) {
    const agentId = `agent-${randomUUID()}`;
    agents.push(agentId);
    await store.createAgent({
      id: agentId,
      userId: user.id,
      name: 'bench',
      model: 'mock-model',
      system: 'You are a helpful agent.',
      contextWindow: 1_000_000,
      createdAt: user.createdAt,
      memory: [
        { id: `block-${randomUUID()}`, label: 'persona', value: 'I am a helpful agent.', limit: 2000 },
        { id: `block-${randomUUID()}`, label: 'human', value: '', limit: 2000 },
      ],
      tags: [],
      metadata: null,
      settings: { ...DEFAULT_AGENT_SETTINGS },
    });
  }
  const turn = async (index: number) => {
    const agentId = agents[Math.floor(index / TURNS_PER_AGENT)]!;
    await store.findApiKeyByHash(keyHash);
    await store.getAgent(user.id, agentId);
    await store.getAgent(user.id, agentId);
    await store.listPendingToolCalls(agentId);
    await store.listMessages(agentId, { limit: 4 });
    await Promise.all([store.getContextSummary(agentId), store.listContextMessages(agentId)]);
    await store.commitStep({ agentId, messages: [message(agentId, 'user', `Turn ${index}: what is on today?`)] });
    await store.commitStep({ agentId, messages: [message(agentId, 'assistant', `Nothing on turn ${index}.`)] });
  };
  for (let index = 0; index < WARMUP; index++) await turn(index);
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < TURNS; index++) {
    const started = performance.now();
    await turn(WARMUP + index);
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  console.log(
    table([
      ['turns', 'turns per agent', 'wall p50', 'wall p99', 'CPU/turn'],
      [
        String(TURNS),
        String(TURNS_PER_AGENT),
        ms(median(times)),
        ms(percentile(times, 0.99)),
        ms((cpu.user + cpu.system) / 1000 / TURNS),
      ],
    ]),
  );
} finally {
  await store.close();
  await drop();
}
