import { randomUUID } from 'node:crypto';
import type { AdmissionRefusal, LimitCounters, RateConsumption, SubjectRates } from '@memgate/core';
import { Redis } from 'ioredis';

const DEFAULT_PREFIX = 'memgate:limits:';

/*
 * Per subject three sorted sets: `rpm` (turn ids scored by start time), `tpm` ("id:tokens"
 * scored by call time) and `slots` (running turn ids scored by lease expiry). Times are Redis's
 * own (TIME), so instances with drifting clocks count the same windows.
 */
const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
const TOKENS_OF = `local function tokens(member) return tonumber(string.match(member, ':(%d+)$')) or 0 end`;
const TRIM = `
  redis.call('ZREMRANGEBYSCORE', KEYS[k + 1], '-inf', now - 60000)
  redis.call('ZREMRANGEBYSCORE', KEYS[k + 2], '-inf', now - 60000)
  redis.call('ZREMRANGEBYSCORE', KEYS[k + 3], '-inf', now)`;

/** Checks every subject, then (all passing) counts the turn: one atomic round trip. */
const ADMIT = `
${NOW}
${TOKENS_OF}
local lease = tonumber(ARGV[1])
local turn = ARGV[2]
local n = (#KEYS) / 3
for i = 0, n - 1 do
  local k = i * 3
  ${TRIM}
  local rpm, tpm, slots = tonumber(ARGV[3 + k]), tonumber(ARGV[4 + k]), tonumber(ARGV[5 + k])
  if rpm >= 0 then
    local count = redis.call('ZCARD', KEYS[k + 1])
    if count >= rpm then
      local oldest = redis.call('ZRANGE', KEYS[k + 1], count - rpm, count - rpm, 'WITHSCORES')
      return {i, 'rpm', tonumber(oldest[2]) + 60000 - now}
    end
  end
  if tpm >= 0 then
    local entries = redis.call('ZRANGE', KEYS[k + 2], 0, -1, 'WITHSCORES')
    local used = 0
    for j = 1, #entries, 2 do used = used + tokens(entries[j]) end
    if used >= tpm then
      local freed = 0
      for j = 1, #entries, 2 do
        freed = freed + tokens(entries[j])
        if freed > used - tpm then return {i, 'tpm', tonumber(entries[j + 1]) + 60000 - now} end
      end
      return {i, 'tpm', 1000}
    end
  end
  if slots >= 0 and redis.call('ZCARD', KEYS[k + 3]) >= slots then return {i, 'concurrency', 1000} end
end
for i = 0, n - 1 do
  local k = i * 3
  if tonumber(ARGV[3 + k]) >= 0 then
    redis.call('ZADD', KEYS[k + 1], now, turn)
    redis.call('PEXPIRE', KEYS[k + 1], 60000)
  end
  if tonumber(ARGV[5 + k]) >= 0 then
    redis.call('ZADD', KEYS[k + 3], now + lease, turn)
    redis.call('PEXPIRE', KEYS[k + 3], lease)
  end
end
return false`;

/** Adds a call's tokens to each subject's window. */
const ADD_TOKENS = `
${NOW}
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], 60000)
end
return true`;

const CONSUMPTION = `
${NOW}
${TOKENS_OF}
local k = 0
${TRIM}
local entries = redis.call('ZRANGE', KEYS[2], 0, -1)
local used = 0
for j = 1, #entries do used = used + tokens(entries[j]) end
return {redis.call('ZCARD', KEYS[1]), used, redis.call('ZCARD', KEYS[3])}`;

/**
 * The limit counters of every instance, in Redis (`REDIS_URL`): an admission is one Lua script
 * (one round trip), concurrency slots are leases that expire if their instance dies.
 */
export class RedisLimitCounters implements LimitCounters {
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  static async connect(url: string, prefix = DEFAULT_PREFIX): Promise<RedisLimitCounters> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await redis.connect();
    return new RedisLimitCounters(redis, prefix);
  }

  #keys(subject: string): [string, string, string] {
    // One hash tag per subject: its three keys live on one Redis Cluster slot.
    const base = `${this.prefix}{${subject}}:`;
    return [`${base}rpm`, `${base}tpm`, `${base}slots`];
  }

  async admit(turnId: string, subjects: readonly SubjectRates[], leaseMs: number): Promise<AdmissionRefusal | null> {
    const keys = subjects.flatMap((rates) => this.#keys(rates.subject));
    const limits = subjects.flatMap((rates) => [rates.rpm ?? -1, rates.tpm ?? -1, rates.maxConcurrentTurns ?? -1]);
    const answer = (await this.redis.eval(ADMIT, keys.length, ...keys, leaseMs, turnId, ...limits)) as
      | [number, 'rpm' | 'tpm' | 'concurrency', number]
      | null;
    if (!answer) return null;
    const [index, limit, retryMs] = answer;
    return {
      limit,
      subject: subjects[index]?.subject ?? '',
      retryAfterSeconds: Math.max(1, Math.ceil(Number(retryMs) / 1000)),
    };
  }

  async release(turnId: string, subjects: readonly string[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const subject of subjects) pipeline.zrem(this.#keys(subject)[2], turnId);
    await pipeline.exec();
  }

  async addTokens(subjects: readonly string[], tokens: number): Promise<void> {
    if (tokens <= 0 || subjects.length === 0) return;
    const keys = subjects.map((subject) => this.#keys(subject)[1]);
    const member = `${randomUUID()}:${Math.round(tokens)}`;
    await this.redis.eval(ADD_TOKENS, keys.length, ...keys, member);
  }

  async consumption(subject: string): Promise<RateConsumption> {
    const [requests, tokens, concurrent] = (await this.redis.eval(CONSUMPTION, 3, ...this.#keys(subject))) as number[];
    return { requests: requests ?? 0, tokens: tokens ?? 0, concurrent: concurrent ?? 0 };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
