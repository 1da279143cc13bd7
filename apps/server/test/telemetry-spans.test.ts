import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpanKind, SpanStart, Telemetry, TelemetrySpan } from '@memgate/core';
import { SqliteStore } from '@memgate/store-sqlite';
import { createTestMemgate, RestSetup, sendMessage, startMockUpstream } from '@memgate/testkit';
import { expect, it } from 'vitest';
import { startMemgateServer } from '../src/index.ts';

interface Recorded {
  kind: SpanKind;
  attributes: unknown;
  children: Recorded[];
  ended: { result: unknown; failed: boolean } | null;
  firstOutput: boolean;
}

/** Records the span tree the core reports: what a tracer would turn into spans. */
function recordingTelemetry(turns: Recorded[]): Telemetry {
  const span = <K extends SpanKind>(node: Recorded): TelemetrySpan<K> => ({
    child: <C extends SpanKind>(kind: C, attributes: SpanStart[C]) => {
      const child: Recorded = { kind, attributes, children: [], ended: null, firstOutput: false };
      node.children.push(child);
      return span<C>(child);
    },
    firstOutput: () => {
      node.firstOutput = true;
    },
    propagation: () => ({ traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` }),
    end: (result, error) => {
      node.ended = { result, failed: error !== undefined };
    },
  });
  return {
    startTurn: (attributes) => {
      const node: Recorded = { kind: 'turn', attributes, children: [], ended: null, firstOutput: false };
      turns.push(node);
      return span<'turn'>(node);
    },
  };
}

const shape = (node: Recorded): unknown => [node.kind, ...node.children.map(shape)];

it('reports turn → lock wait, steps → upstream calls, tools and store commits, each ended once', async () => {
  const upstream = await startMockUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-spans-'));
  const turns: Recorded[] = [];
  const test = await createTestMemgate({
    store: SqliteStore.open(dataDir),
    upstreamUrl: upstream.url,
    telemetry: recordingTelemetry(turns),
  });
  const server = await startMemgateServer({ memgate: test.memgate, port: 0 });
  try {
    const agentId = await new RestSetup(server.url, test.apiKey).createAgent({ name: 'spans' });
    upstream.script(
      {
        toolCalls: [
          { name: 'core_memory_append', arguments: { label: 'human', content: 'Likes tea.', request_heartbeat: true } },
        ],
      },
      sendMessage('Noted.'),
    );
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${test.apiKey}`,
        'x-request-id': 'spans-1',
        traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`,
      },
      body: JSON.stringify({ model: 'mock-model', user: agentId, messages: [{ role: 'user', content: 'I like tea' }] }),
    });
    expect(response.status).toBe(200);
    const [turn] = turns;
    expect(turn?.attributes).toMatchObject({
      requestId: 'spans-1',
      protocol: 'rest',
      streaming: false,
      carrier: { traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01` },
    });
    expect(shape(turn!)).toEqual([
      'turn',
      ['lock.wait'],
      ['store.commit'],
      ['step', ['upstream'], ['tool'], ['store.commit']],
      ['step', ['upstream'], ['store.commit']],
    ]);
    expect(turn?.ended).toEqual({
      failed: false,
      result: expect.objectContaining({ outcome: 'completed', agentId, steps: 2, upstreamCalls: 2 }),
    });
    expect(turn?.firstOutput).toBe(true);
    const all = (node: Recorded): Recorded[] => [node, ...node.children.flatMap(all)];
    for (const node of all(turn!)) expect(node.ended).not.toBeNull();
    // Each upstream call carries the request id and what the tracer propagates.
    for (const request of upstream.requests) {
      expect(request.headers['x-request-id']).toBe('spans-1');
      expect(request.headers['traceparent']).toBe(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
    }
  } finally {
    await server.close();
    await test.memgate.close();
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
