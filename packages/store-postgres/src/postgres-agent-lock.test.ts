import { randomUUID } from 'node:crypto';
import type { ReleaseLock } from '@memgate/core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresAgentLock } from './postgres-agent-lock.ts';
import { createTemporarySchema, type TemporarySchema } from './temporary-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl)
  console.warn('DATABASE_URL is not set: skipping the PostgreSQL agent lock tests (CI sets it; see .ci/run).');

/** Polls `check` until it holds; no deadline of its own (the test timeout is the bound). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe.skipIf(!databaseUrl)('PostgresAgentLock on a real PostgreSQL', () => {
  let schema: TemporarySchema;
  let observer: pg.Client;
  const locks: PostgresAgentLock[] = [];
  beforeAll(async () => {
    schema = await createTemporarySchema(databaseUrl!);
    observer = new pg.Client({ connectionString: schema.connectionString });
    await observer.connect();
  });
  afterEach(async () => {
    await Promise.all(locks.splice(0).map((lock) => lock.close()));
  });
  afterAll(async () => {
    await observer?.end();
    await schema?.drop();
  });

  /** One lock per simulated instance, each with its own pool. */
  function instance(): PostgresAgentLock {
    const lock = new PostgresAgentLock({ connectionString: schema.connectionString });
    locks.push(lock);
    return lock;
  }

  /** Advisory lock requests of this schema's agents waiting in PostgreSQL (not granted yet). */
  async function waitingInDatabase(): Promise<number> {
    const { rows } = await observer.query<{ count: string }>(
      `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
       AND classid::int = hashtext('memgate.agent-lock:' || current_schema())`,
    );
    return Number(rows[0]?.count ?? 0);
  }

  it('lets one holder at a time run, across instances, and all of them in the end', async () => {
    const [first, second] = [instance(), instance()];
    const agentId = `agent-${randomUUID()}`;
    let inside = 0;
    let most = 0;
    let runs = 0;
    await Promise.all(
      Array.from({ length: 12 }, async (_, index) => {
        const release = await (index % 2 === 0 ? first : second).acquire(agentId);
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside -= 1;
        runs += 1;
        await release();
      }),
    );
    expect(runs).toBe(12);
    expect(most).toBe(1);
  });

  it('serves waiters in arrival order across instances', async () => {
    const [first, second] = [instance(), instance()];
    const agentId = `agent-${randomUUID()}`;
    const order: string[] = [];
    const holder = await first.acquire(agentId);
    const take = async (name: string, lock: PostgresAgentLock) => {
      const release = await lock.acquire(agentId);
      order.push(name);
      await release();
    };
    const fromSecond = take('second instance, first to ask', second);
    await eventually(async () => (await waitingInDatabase()) === 1);
    const fromFirst = take('first instance, second to ask', first);
    await holder();
    await Promise.all([fromSecond, fromFirst]);
    expect(order).toEqual(['second instance, first to ask', 'first instance, second to ask']);
  });

  it('does not make different agents wait for each other', async () => {
    const [first, second] = [instance(), instance()];
    const held = await first.acquire(`agent-${randomUUID()}`);
    const other = await second.acquire(`agent-${randomUUID()}`);
    await other();
    await held();
  });

  it('gives up a wait in PostgreSQL on abort, leaving no request behind', async () => {
    const [first, second] = [instance(), instance()];
    const agentId = `agent-${randomUUID()}`;
    const holder = await first.acquire(agentId);
    const controller = new AbortController();
    const waiting = second.acquire(agentId, controller.signal);
    await eventually(async () => (await waitingInDatabase()) === 1);
    controller.abort(new Error('client left'));
    await expect(waiting).rejects.toThrow('client left');
    await eventually(async () => (await waitingInDatabase()) === 0);
    await holder();
    // The aborted request did not end up holding the lock: the next one gets it.
    const next = await second.acquire(agentId);
    await next();
  });

  it('gives up a wait behind a holder of the same instance on abort', async () => {
    const lock = instance();
    const agentId = `agent-${randomUUID()}`;
    const holder = await lock.acquire(agentId);
    const controller = new AbortController();
    const waiting = lock.acquire(agentId, controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    await holder();
    await (await lock.acquire(agentId))();
  });

  it("frees a lock whose holder's session died, so another instance takes over", async () => {
    const [crashing, survivor] = [instance(), instance()];
    const agentId = `agent-${randomUUID()}`;
    await crashing.acquire(agentId);
    const takeover = survivor.acquire(agentId);
    await eventually(async () => (await waitingInDatabase()) === 1);
    // What a crashed instance's connection amounts to: its session ends without an unlock.
    await observer.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND classid::int = hashtext('memgate.agent-lock:' || current_schema())`,
    );
    const release: ReleaseLock = await takeover;
    await release();
    await release();
  });
  it('tells the holder when its lock connection breaks, and lets another instance take the agent', async () => {
    const [holder, other] = [instance(), instance()];
    const agentId = `agent-${randomUUID()}`;
    const release = await holder.acquire(agentId);
    expect(release.lost?.aborted).toBe(false);
    const lost = new Promise<unknown>((resolve) =>
      release.lost?.addEventListener('abort', () => resolve(release.lost?.reason)),
    );
    // The connection breaks while the holder is alive (a network cut, a restarted pooler).
    await observer.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND classid::int = hashtext('memgate.agent-lock:' || current_schema())`,
    );
    expect(await lost).toMatchObject({ code: 'SERVICE_UNAVAILABLE', detailCode: 'agent_lock_lost' });
    const next = await other.acquire(agentId);
    await next();
    await release();
    expect(next.lost?.aborted).toBe(false);
  });
});
