import { randomUUID } from 'node:crypto';
import { DEFAULT_AGENT_SETTINGS, MemgateError } from '@memgate/core';
import { userMessage as message, type PostgresRoundTripCounter, startPostgresRoundTripCounter } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.ts';
import { createTemporarySchema, type TemporarySchema } from './temporary-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
const now = () => new Date().toISOString();

/** Counted on the wire, through a relay that reads PostgreSQL's protocol: what the driver really sent. */
describe.skipIf(!databaseUrl)('round trips of the turn path on PostgreSQL', () => {
  let schema: TemporarySchema;
  let relay: PostgresRoundTripCounter;
  let store: PostgresStore;
  const agentId = 'agent-round-trips';

  beforeAll(async () => {
    schema = await createTemporarySchema(databaseUrl!);
    relay = await startPostgresRoundTripCounter(schema.connectionString);
    store = new PostgresStore({ connectionString: relay.connectionString });
    await store.migrate();
    await store.createUser({ id: 'user-round-trips', name: 'round-trips', createdAt: now() });
    await store.createAgent({
      id: agentId,
      userId: 'user-round-trips',
      name: 'counted',
      model: 'memgate-offline',
      system: 'system',
      contextWindow: 8192,
      createdAt: now(),
      memory: [{ id: `block-${randomUUID()}`, label: 'human', value: '', limit: 100 }],
      tags: [],
      metadata: null,
      settings: { ...DEFAULT_AGENT_SETTINGS },
    });
  });
  afterAll(async () => {
    await store?.close();
    await relay?.close();
    await schema?.drop();
  });

  async function roundTripsOf(work: () => Promise<unknown>): Promise<number> {
    const before = relay.roundTrips;
    await work();
    return relay.roundTrips - before;
  }

  it('commits a step with messages, a window move, memory and tool calls in one round trip', async () => {
    const [first] = await store.commitStep({ agentId, messages: [message(agentId, 'warm-up')] });
    const step = {
      agentId,
      messages: [message(agentId, 'one'), message(agentId, 'two', { role: 'assistant' })],
      memory: [{ label: 'human', value: 'likes tea' }],
      contextStartSeq: first!.seq,
      summary: { text: 'nothing yet', messageCount: 0, updatedAt: now() },
      addPendingToolCalls: [
        { agentId, toolCallId: 'call-1', name: 'lookup', arguments: '{}', style: 'tool' as const, createdAt: now() },
      ],
    };
    expect(await roundTripsOf(() => store.commitStep(step))).toBe(1);
    expect(await store.listPendingToolCalls(agentId)).toHaveLength(1);
    expect(
      await roundTripsOf(() => store.commitStep({ agentId, messages: [], resolvePendingToolCallIds: ['call-1'] })),
    ).toBe(1);
    expect(await store.listPendingToolCalls(agentId)).toEqual([]);
  });

  it('fails a step in its one round trip with the errors the store always gave, writing nothing', async () => {
    const before = await store.listMessages(agentId, { limit: 100 });
    let failure: unknown;
    const trips = await roundTripsOf(() =>
      store
        .commitStep({ agentId, messages: [message(agentId, 'lost')], memory: [{ label: 'nope', value: 'x' }] })
        .catch((error: unknown) => {
          failure = error;
        }),
    );
    expect(trips).toBe(1);
    expect(failure).toBeInstanceOf(MemgateError);
    expect((failure as MemgateError).code).toBe('NOT_FOUND');
    expect((failure as MemgateError).message).toBe(`Agent ${agentId} has no memory block "nope".`);
    expect(await store.listMessages(agentId, { limit: 100 })).toEqual(before);
    await expect(
      store.commitStep({ agentId: 'agent-missing', messages: [], contextStartSeq: 1 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Agent agent-missing does not exist.' });
  });

  it('commits and reads a step of another conversation, and refuses a stale memory edit, in one round trip each', async () => {
    const at = now();
    const conversationId = 'conv-round-trips';
    await store.createConversation({
      id: conversationId,
      agentId,
      name: null,
      metadata: null,
      createdAt: at,
      updatedAt: at,
    });
    const version = (await store.getAgent('user-round-trips', agentId))!.memory[0]!.version!;
    const step = {
      agentId,
      conversationId,
      messages: [message(agentId, 'elsewhere')],
      memory: [{ label: 'human', value: 'likes coffee', version }],
    };
    expect(await roundTripsOf(() => store.commitStep(step))).toBe(1);
    let failure: unknown;
    const trips = await roundTripsOf(() =>
      store.commitStep({ ...step, messages: [message(agentId, 'stale')] }).catch((error: unknown) => {
        failure = error;
      }),
    );
    expect(trips).toBe(1);
    expect(failure).toMatchObject({ code: 'CONFLICT', detailCode: 'memory_conflict' });
    const read = () =>
      Promise.all([store.getContextSummary(conversationId), store.listContextMessages(conversationId)]);
    expect(await roundTripsOf(read)).toBe(1);
    expect((await read())[1].map((stored) => stored.content)).toEqual(['elsewhere']);
  });

  it('reads the summary and the window asked for together in one round trip', async () => {
    await store.commitStep({ agentId, messages: [message(agentId, 'read me')] });
    const trips = await roundTripsOf(() =>
      Promise.all([store.getContextSummary(agentId), store.listContextMessages(agentId)]),
    );
    expect(trips).toBe(1);
    // An agent comes with its blocks and their agent counts in the same statement.
    expect(await roundTripsOf(() => store.getAgent('user-round-trips', agentId))).toBe(1);
    expect(await roundTripsOf(() => store.listAgents('user-round-trips'))).toBe(1);
    // A history page carries its images with it: no second round trip.
    expect(await roundTripsOf(() => store.listMessages(agentId, { limit: 8 }))).toBe(1);
  });
});
