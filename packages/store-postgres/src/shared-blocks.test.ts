import { randomUUID } from 'node:crypto';
import type { NewAgent } from '@memgate/core';
import { DEFAULT_AGENT_SETTINGS } from '@memgate/core';
import { userMessage } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.ts';
import { createTemporarySchema, type TemporarySchema } from './temporary-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
const now = () => new Date().toISOString();

function agent(userId: string, blockIds: string[]): NewAgent {
  return {
    id: `agent-${randomUUID()}`,
    userId,
    name: 'sharer',
    model: 'memgate-offline',
    system: 'system',
    contextWindow: 8192,
    createdAt: now(),
    memory: [{ id: `block-${randomUUID()}`, label: 'human', value: '', limit: 100 }],
    blockIds,
    tags: [],
    metadata: null,
    settings: { ...DEFAULT_AGENT_SETTINGS },
  };
}

/** Two instances (two pools) writing one shared block at the same moment. */
describe.skipIf(!databaseUrl)('a block shared by agents of two instances', () => {
  let schema: TemporarySchema;
  let one: PostgresStore;
  let two: PostgresStore;
  let userId: string;

  beforeAll(async () => {
    schema = await createTemporarySchema(databaseUrl!);
    one = new PostgresStore({ connectionString: schema.connectionString });
    two = new PostgresStore({ connectionString: schema.connectionString });
    await one.migrate();
    userId = (await one.createUser({ id: `user-${randomUUID()}`, name: 'sharing', createdAt: now() })).id;
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await schema?.drop();
  });

  async function shared() {
    const block = await one.createBlock({
      id: `block-${randomUUID()}`,
      userId,
      label: 'team',
      value: 'v1',
      limit: 1000,
      description: null,
      readOnly: false,
      metadata: null,
      createdAt: now(),
    });
    const first = await one.createAgent(agent(userId, [block.id]));
    const second = await two.createAgent(agent(userId, [block.id]));
    return { block, first, second };
  }

  it('lets exactly one of two edits made from the same version win, and the other fails as memory_conflict', async () => {
    const { block, first, second } = await shared();
    for (let round = 1; round <= 10; round++) {
      const results = await Promise.allSettled(
        [
          [one, first.id],
          [two, second.id],
        ].map(([store, agentId]) =>
          (store as PostgresStore).commitStep({
            agentId: agentId as string,
            messages: [userMessage(agentId as string, `round ${round}`)],
            memory: [{ label: 'team', value: `${agentId} in round ${round}`, version: round }],
          }),
        ),
      );
      const won = results.filter((result) => result.status === 'fulfilled');
      const lost = results.filter((result) => result.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost[0]?.reason).toMatchObject({ code: 'CONFLICT', detailCode: 'memory_conflict' });
    }
    const history = await one.blockHistory(userId, block.id, { limit: 100 });
    expect(history?.map((entry) => entry.version)).toEqual(Array.from({ length: 11 }, (_, index) => 11 - index));
    // Every winning value is what both agents read, and the loser's step left no message.
    const final = await two.getBlock(userId, block.id);
    expect(final).toMatchObject({ version: 11, value: history?.[0]?.value });
    const messages = [
      ...(await one.listMessages(first.id, { limit: 100 })),
      ...(await two.listMessages(second.id, { limit: 100 })),
    ];
    expect(messages).toHaveLength(10);
  });

  it('loses no unconditional write: each gets its own version and history entry', async () => {
    const { block, first, second } = await shared();
    const writes = Array.from({ length: 20 }, (_, index) => {
      const [store, agentId] = index % 2 === 0 ? [one, first.id] : [two, second.id];
      return store.commitStep({
        agentId,
        messages: [userMessage(agentId, `write ${index}`)],
        memory: [{ label: 'team', value: `write ${index}` }],
      });
    });
    await Promise.all(writes);
    const history = await one.blockHistory(userId, block.id, { limit: 100 });
    expect(history?.map((entry) => entry.version)).toEqual(Array.from({ length: 21 }, (_, index) => 21 - index));
    expect(new Set(history?.slice(0, 20).map((entry) => entry.value)).size).toBe(20);
    expect((await one.getBlock(userId, block.id))?.value).toBe(history?.[0]?.value);
  });

  it('attaches only one of two blocks with one label sent to one agent at the same moment', async () => {
    const target = await one.createAgent(agent(userId, []));
    const blocks = await Promise.all(
      [one, two].map((store) =>
        store.createBlock({
          id: `block-${randomUUID()}`,
          userId,
          label: 'policies',
          value: 'x',
          limit: 100,
          description: null,
          readOnly: false,
          metadata: null,
          createdAt: now(),
        }),
      ),
    );
    const results = await Promise.allSettled([
      one.attachBlock(userId, target.id, blocks[0]!.id),
      two.attachBlock(userId, target.id, blocks[1]!.id),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')?.reason).toMatchObject({
      code: 'BAD_USER_INPUT',
      detailCode: 'label_conflict',
    });
    const labels = (await two.getAgent(userId, target.id))?.memory.map((block) => block.label);
    expect(labels).toEqual(['human', 'policies']);
  });
});
