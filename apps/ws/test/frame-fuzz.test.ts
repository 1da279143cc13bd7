import { CLIENT_FRAME_TYPES, type ErrorFrame } from '@memgate/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelClient } from './channel-client.ts';
import { startWsHarness, until, type WsHarness } from './ws-harness.ts';

const RUNS = 80;

/** Frames of every kind: random text, random JSON, and frames of known types with random fields. */
function frames(agentId: string) {
  const nested = fc
    .integer({ min: 1, max: 120 })
    .map((depth) => `{"type":"ping","x":${'['.repeat(depth)}${']'.repeat(depth)}}`);
  const known = fc
    .record(
      {
        type: fc.constantFrom(...CLIENT_FRAME_TYPES),
        request_id: fc.oneof(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
        agent_id: fc.oneof(fc.constant(agentId), fc.string()),
        request: fc.oneof(
          fc.record(
            {
              model: fc.constant('mock-model'),
              user: fc.constant(agentId),
              messages: fc.array(fc.record({ role: fc.constant('user'), content: fc.string() }), { maxLength: 2 }),
            },
            { requiredKeys: [] },
          ),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        token: fc.string(),
      },
      { requiredKeys: ['type'] },
    )
    .map((frame) => JSON.stringify(frame));
  return fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.json({ maxDepth: 4 }), nested, known);
}

describe('chat channel frames, generated', () => {
  let harness: WsHarness;

  beforeAll(async () => {
    harness = await startWsHarness({ maxPayloadBytes: 64 * 1024 });
  });
  afterAll(() => harness.close());

  it(`answers ${RUNS} generated frames with 4xx errors at worst, never a 5xx, and keeps the connection`, async () => {
    const agentId = await harness.rest.createAgent({ name: 'fuzzed' });
    const client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    let pongs = 0;
    try {
      await fc.assert(
        fc.asyncProperty(frames(agentId), async (frame) => {
          client.send(frame);
          client.send({ type: 'ping' });
          pongs++;
          await until(() => client.frames.filter((sent) => sent.type === 'pong').length >= pongs);
          const serverErrors = client.frames.filter(
            (sent) =>
              (sent.type === 'error' && (sent as ErrorFrame).error.status >= 500) ||
              (sent.type === 'chat.completion.done' && sent.status === 'failed'),
          );
          expect(serverErrors).toEqual([]);
        }),
        { numRuns: RUNS },
      );
      expect(client.frames.filter((sent) => sent.type === 'error').length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  }, 120_000);
});
