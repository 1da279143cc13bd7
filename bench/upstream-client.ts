/**
 * CPU per upstream call of the OpenAI-compatible provider alone: this process calls the mock upstream
 * (its own process) one request at a time, non-streaming and streaming, with a turn-sized body (a
 * system prompt, the memory tools, a short window), and reports `process.cpuUsage()` of this process
 * per call: the provider's request building, HTTP client, body or SSE parsing and result assembly.
 * Best (lowest) of `BENCH_CLIENT_RUNS` runs of `BENCH_CLIENT_CALLS` calls, after a warm-up.
 */
import { type LlmRequest, OpenAiCompatibleProvider } from '@memgate/core';
import { startChild } from './child-process.ts';
import type { UpstreamReady } from './processes/upstream-main.ts';

const RUNS = Number(process.env['BENCH_CLIENT_RUNS'] ?? 7);
const CALLS = Number(process.env['BENCH_CLIENT_CALLS'] ?? 400);
const WARMUP = 300;

const tool = (name: string) => ({
  type: 'function' as const,
  function: {
    name,
    description: `The ${name} tool. `.repeat(12),
    parameters: {
      type: 'object',
      properties: { message: { type: 'string', description: 'What to say or store.' } },
      required: ['message'],
    },
  },
});

function turnRequest(index: number): LlmRequest {
  const window = Array.from({ length: 10 }, (_, turn) => [
    { role: 'user' as const, content: `Message ${turn} of the conversation, with some words in it.` },
    { role: 'assistant' as const, content: `Reply ${turn}, a sentence or two long, as replies are.` },
  ]).flat();
  return {
    model: 'mock-model',
    messages: [
      { role: 'system', content: 'You are a helpful agent with memory. '.repeat(90) },
      ...window,
      { role: 'user', content: `Call ${index}: hello there.` },
    ],
    tools: ['send_message', 'core_memory_append', 'core_memory_replace', 'archival_memory_search'].map(tool),
    toolChoice: 'required',
    sampling: {},
  };
}

const upstream = await startChild<UpstreamReady>('processes/upstream-main.ts');
const provider = new OpenAiCompatibleProvider({ baseURL: upstream.ready.url, models: ['mock-model'] });

async function call(mode: 'generate' | 'stream', index: number): Promise<void> {
  const headers = { 'x-request-id': `bench-${index}` };
  if (mode === 'generate') {
    await provider.generate(turnRequest(index), { headers });
    return;
  }
  for await (const _event of provider.stream(turnRequest(index), { headers })) {
    // drained: every event is assembled, as a turn would
  }
}

try {
  const results: Record<string, number[]> = { generate: [], stream: [] };
  for (const mode of ['generate', 'stream'] as const) {
    for (let index = 0; index < WARMUP; index++) await call(mode, index);
  }
  // Interleaved runs, so both modes see the same machine load.
  for (let run = 0; run < RUNS; run++) {
    for (const mode of ['generate', 'stream'] as const) {
      const before = process.cpuUsage();
      for (let index = 0; index < CALLS; index++) await call(mode, index);
      const used = process.cpuUsage(before);
      results[mode]?.push((used.user + used.system) / 1000 / CALLS);
    }
  }
  console.log(`CPU ms per upstream call (this process), ${RUNS} runs of ${CALLS} calls`);
  for (const [mode, values] of Object.entries(results)) {
    const sorted = [...values].sort((left, right) => left - right);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(`${mode.padEnd(9)} best ${sorted[0]?.toFixed(3)} ms  median ${median.toFixed(3)} ms`);
  }
} finally {
  await upstream.stop();
}
