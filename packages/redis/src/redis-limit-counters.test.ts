import { randomUUID } from 'node:crypto';
import { InProcessLimitCounters, type LimitCounters, type SubjectRates } from '@memgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLimitCounters } from './redis-limit-counters.ts';

const url = process.env['REDIS_URL'];
if (!url) console.warn('REDIS_URL is not set: skipping the Redis limit counter tests (CI sets it; see .ci/run).');

const rates = (subject: string, overrides: Partial<SubjectRates> = {}): SubjectRates => ({
  subject,
  rpm: null,
  tpm: null,
  maxConcurrentTurns: null,
  ...overrides,
});

const subject = () => `user-${randomUUID()}`;

/** The same behaviour from the in-process counters and from Redis (two connections: two instances). */
const IMPLEMENTATIONS: [string, () => Promise<[LimitCounters, LimitCounters]>, boolean][] = [
  [
    'in-process',
    async () => {
      const counters = new InProcessLimitCounters();
      return [counters, counters];
    },
    false,
  ],
  ['Redis', async () => Promise.all([RedisLimitCounters.connect(url!), RedisLimitCounters.connect(url!)]), !url],
];

describe.each(IMPLEMENTATIONS)('%s limit counters', (_name, open, skip) => {
  let one: LimitCounters;
  let two: LimitCounters;

  beforeAll(async () => {
    if (!skip) [one, two] = await open();
  });

  afterAll(async () => {
    await one?.close();
    if (two !== one) await two?.close();
  });

  it.skipIf(skip)('counts turns per minute for every holder of the counters', async () => {
    const user = subject();
    expect(await one.admit('t1', [rates(user, { rpm: 2 })], 60_000)).toBeNull();
    expect(await two.admit('t2', [rates(user, { rpm: 2 })], 60_000)).toBeNull();
    const refusal = await one.admit('t3', [rates(user, { rpm: 2 })], 60_000);
    expect(refusal).toMatchObject({ limit: 'rpm', subject: user });
    expect(refusal!.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(refusal!.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await two.consumption(user)).toMatchObject({ requests: 2 });
  });

  it.skipIf(skip)('admits all subjects or none: a refused key counts nothing against its user', async () => {
    const user = subject();
    const key = subject();
    expect(await one.admit('t1', [rates(user, { rpm: 5 }), rates(key, { rpm: 1 })], 60_000)).toBeNull();
    expect(await two.admit('t2', [rates(user, { rpm: 5 }), rates(key, { rpm: 1 })], 60_000)).toMatchObject({
      limit: 'rpm',
      subject: key,
    });
    expect(await one.consumption(user)).toMatchObject({ requests: 1 });
  });

  it.skipIf(skip)('counts tokens per minute, and refuses once the window holds the limit', async () => {
    const user = subject();
    expect(await one.admit('t1', [rates(user, { tpm: 100 })], 60_000)).toBeNull();
    await one.addTokens([user], 60);
    expect(await two.admit('t2', [rates(user, { tpm: 100 })], 60_000)).toBeNull();
    await two.addTokens([user], 50);
    expect(await one.consumption(user)).toMatchObject({ tokens: 110 });
    expect(await two.admit('t3', [rates(user, { tpm: 100 })], 60_000)).toMatchObject({ limit: 'tpm' });
  });

  it.skipIf(skip)('holds a concurrency slot until released, or until its lease ends', async () => {
    const user = subject();
    const limit = [rates(user, { maxConcurrentTurns: 1 })];
    expect(await one.admit('t1', limit, 60_000)).toBeNull();
    expect(await two.admit('t2', limit, 60_000)).toMatchObject({ limit: 'concurrency', retryAfterSeconds: 1 });
    await one.release('t1', [user]);
    expect(await two.admit('t3', limit, 300)).toBeNull();
    expect(await one.consumption(user)).toMatchObject({ concurrent: 1 });
    // t3's instance "died" without releasing: its lease ends and the slot is free again.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await one.admit('t4', limit, 60_000)).toBeNull();
  });
});
