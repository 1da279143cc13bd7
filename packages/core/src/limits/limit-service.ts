import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError, parseOrThrow } from '../errors/validation.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Store } from '../store/store.ts';
import { budgetReached, nextPeriodStart, periodStart, type Spend } from './budget-period.ts';
import type { AdmissionRefusal, LimitCounters, SubjectRates } from './limit-counters.ts';
import { type CallerLimits, limitsBodySchema, limitsOfBody, limitsResource } from './limit-schemas.ts';
import { type Budget, type Limits, type LimitsRecord, limitsAnything, NO_LIMITS } from './limit-types.ts';
import { TurnAdmission, type WatchedBudget } from './turn-admission.ts';

export interface LimitServiceOptions {
  store: Store;
  counters: LimitCounters;
  /** Carries "these limits changed" to every instance, so that their caches forget them. */
  events: EventBus;
  /** The limits of users without their own (MEMGATE_DEFAULT_*); null: none. */
  defaults: Limits | null;
  /** How long a concurrency slot outlives a turn that never released it (a dead instance). */
  leaseMs: number;
  /** How long a subject's own limits are kept in memory; default LIMITS_CACHE_MS (30 s). */
  cacheMs?: number;
}

/** A subject's own limits as the admin reads them: `limits` null (and `updatedAt` '') when it has none. */
export type OwnLimits = Omit<LimitsRecord, 'limits'> & { limits: Limits | null };

/** Subjects whose own limits (or their absence) are remembered; past it the oldest are forgotten. */
const CACHE_SIZE = 10_000;
/** How long a subject's own limits are served from memory before they are read again. */
export const LIMITS_CACHE_MS = 30_000;

/**
 * Rate, concurrency and budget limits per user and per API key: kept by the admin, checked
 * before every turn (`admit`, on every protocol through the dispatcher) and watched during it.
 * A key's limits apply on top of its user's. A caller without a key (the CLI) and a user the
 * admin made `exempt` have none.
 */
export class LimitService {
  /** subject → its own limits (null: none), as stored. */
  /** Own limits by subject, with when they were read: kept `cacheMs` at most. */
  readonly #own = new Map<string, { limits: Limits | null; at: number }>();

  constructor(private readonly options: LimitServiceOptions) {
    options.events.onLimitsChanged?.((subjects) => {
      for (const subject of subjects) this.#own.delete(subject);
    });
  }

  /**
   * Admits a turn or throws 429 `RATE_LIMITED` (`rate_limited`, `concurrency_limited`,
   * `budget_exceeded`) with `retryAfterSeconds`, counting nothing. Null: no limit applies, and
   * nothing needs releasing. The caller must `release()` what it gets, whatever happens.
   */
  async admit(principal: Principal): Promise<TurnAdmission | null> {
    const applying = await this.#applying(principal);
    if (!applying) return null;
    const { user, key } = applying;
    const now = Date.now();
    const budgets = await this.#budgets(principal, applying, now);
    for (const watched of budgets) {
      if (!budgetReached(watched.budget, watched.spentBefore)) continue;
      throw new MemgateError('RATE_LIMITED', `${budgetMessage(watched)} Retry in the next ${watched.budget.period}.`, {
        detailCode: 'budget_exceeded',
        retryAfterSeconds: Math.max(1, Math.ceil((nextPeriodStart(watched.budget.period, now) - now) / 1000)),
      });
    }
    const rates: SubjectRates[] = [];
    if (user) rates.push(ratesOf(principal.userId, user));
    if (key && principal.keyId) rates.push(ratesOf(principal.keyId, key));
    const subjects = rates
      .filter((rate) => rate.rpm !== null || rate.tpm !== null || rate.maxConcurrentTurns !== null)
      .map((rate) => rate.subject);
    const turnId = `turn-${randomUUID()}`;
    if (subjects.length > 0) {
      const refusal = await this.options.counters.admit(turnId, rates, this.options.leaseMs).catch((error: unknown) => {
        // Limits that cannot be checked are not waived: the turn is refused as the service being down.
        throw new MemgateError('SERVICE_UNAVAILABLE', 'The limit counters cannot be reached; retry shortly.', {
          detailCode: 'limits_unavailable',
          cause: error,
        });
      });
      if (refusal) throw refused(refusal, principal, rates);
    }
    const { counters } = this.options;
    const tpmSubjects = rates.filter((rate) => rate.tpm !== null).map((rate) => rate.subject);
    const slotSubjects = rates.filter((rate) => rate.maxConcurrentTurns !== null).map((rate) => rate.subject);
    return new TurnAdmission({
      addTokens: (tokens) => {
        if (tpmSubjects.length > 0) void counters.addTokens(tpmSubjects, tokens).catch(() => undefined);
      },
      release: async () => {
        // A release that fails (Redis away) is not the turn's failure: the slot's lease ends it.
        if (slotSubjects.length > 0) await counters.release(turnId, slotSubjects).catch(() => undefined);
      },
      budgets,
    });
  }

  /** The caller's effective limits and what it has used of them (`GET /v1/limits`). */
  async caller(principal: Principal): Promise<CallerLimits> {
    const { userOwn, keyOwn } = await this.#ownOf(principal);
    const exempt = principal.keyId === undefined || userOwn?.exempt === true;
    const userLimits = userOwn ?? this.options.defaults;
    const now = Date.now();
    const effective = async (subject: string, limits: Limits | null, source: 'own' | 'default' | 'none') => {
      const rates = await this.options.counters.consumption(subject);
      const budget = limits?.budget ?? null;
      const spend = budget ? await this.#spend(principal.userId, budget.period, now) : null;
      const spent = spend && (subject === principal.userId ? spend.user : (spend.keys.get(subject) ?? zero()));
      return {
        source,
        limits: limitsResource(limits ?? NO_LIMITS),
        consumption: {
          requests_last_minute: rates.requests,
          tokens_last_minute: rates.tokens,
          concurrent_turns: rates.concurrent,
          budget_spent: spent && budget && { ...spent, period_start: periodStart(budget.period, now) },
        },
      };
    };
    const userSource = userOwn ? 'own' : this.options.defaults ? 'default' : 'none';
    return {
      object: 'limits',
      exempt,
      user: { user_id: principal.userId, ...(await effective(principal.userId, userLimits, userSource)) },
      key:
        principal.keyId === undefined
          ? null
          : { key_id: principal.keyId, ...(await effective(principal.keyId, keyOwn, keyOwn ? 'own' : 'none')) },
    };
  }

  /** A user's own limits (admin); `limits` null when they have none. 404 for an unknown user. */
  async userLimits(userId: string): Promise<OwnLimits> {
    const user = await this.#requireUser(userId);
    const [record] = await this.options.store.getLimits([user.id]);
    return record ?? { subject: user.id, userId: user.id, keyId: null, limits: null, updatedAt: '' };
  }

  /** A key's own limits (admin). 404 for an unknown key. */
  async keyLimits(keyId: string): Promise<OwnLimits> {
    const key = await this.#requireKey(keyId);
    const [record] = await this.options.store.getLimits([key.id]);
    return record ?? { subject: key.id, userId: key.userId, keyId: key.id, limits: null, updatedAt: '' };
  }

  /** Replaces a user's limits (admin); 422 for a bad body, 404 for an unknown user. */
  async setUserLimits(userId: string, body: unknown): Promise<LimitsRecord> {
    const limits = limitsOfBody(parseOrThrow(limitsBodySchema, body ?? {}));
    const user = await this.#requireUser(userId);
    return this.#save({ subject: user.id, userId: user.id, keyId: null, limits, updatedAt: now() });
  }

  /** Replaces a key's limits (admin); they apply on top of its user's. */
  async setKeyLimits(keyId: string, body: unknown): Promise<LimitsRecord> {
    const limits = limitsOfBody(parseOrThrow(limitsBodySchema, body ?? {}));
    if (limits.exempt) {
      throw fieldError(['body', 'exempt'], 'Only a user can be exempt: exempt the key’s user instead.');
    }
    const key = await this.#requireKey(keyId);
    return this.#save({ subject: key.id, userId: key.userId, keyId: key.id, limits, updatedAt: now() });
  }

  /** Removes a user's own limits (the defaults apply again). 404 for an unknown user. */
  async clearUserLimits(userId: string): Promise<void> {
    const user = await this.#requireUser(userId);
    await this.#clear(user.id);
  }

  async clearKeyLimits(keyId: string): Promise<void> {
    const key = await this.#requireKey(keyId);
    await this.#clear(key.id);
  }

  async #save(record: LimitsRecord): Promise<LimitsRecord> {
    await this.options.store.setLimits(record);
    await this.#changed(record.subject);
    return record;
  }

  async #clear(subject: string): Promise<void> {
    await this.options.store.deleteLimits(subject);
    await this.#changed(subject);
  }

  async #changed(subject: string): Promise<void> {
    this.#own.delete(subject);
    await this.options.events.publishLimitsChanged?.([subject]);
  }

  async #requireUser(idOrName: string) {
    const { store } = this.options;
    const user = (await store.getUser(idOrName)) ?? (await store.getUserByName(idOrName));
    if (!user) throw new MemgateError('NOT_FOUND', `User ${idOrName} not found.`, { detailCode: 'user_not_found' });
    return user;
  }

  async #requireKey(keyId: string) {
    const key = await this.options.store.getApiKey(keyId);
    if (!key) throw new MemgateError('NOT_FOUND', `API key ${keyId} not found.`, { detailCode: 'api_key_not_found' });
    return key;
  }

  /** The limits that apply to the caller (user: own or defaults; key: own), or null when none does. */
  async #applying(principal: Principal): Promise<{ user: Limits | null; key: Limits | null } | null> {
    // The CLI acts as the admin, who is exempt.
    if (principal.keyId === undefined) return null;
    const { userOwn, keyOwn } = await this.#ownOf(principal);
    if (userOwn?.exempt) return null;
    const user = userOwn ?? this.options.defaults;
    const applying = { user: limitsAnything(user) ? user : null, key: limitsAnything(keyOwn) ? keyOwn : null };
    return applying.user || applying.key ? applying : null;
  }

  /** The user's and the key's own limits: from the cache, else one query for both. */
  async #ownOf(principal: Principal): Promise<{ userOwn: Limits | null; keyOwn: Limits | null }> {
    const subjects = principal.keyId === undefined ? [principal.userId] : [principal.userId, principal.keyId];
    const now = Date.now();
    const cacheMs = this.options.cacheMs ?? LIMITS_CACHE_MS;
    // Read again after a while: a change made where no event reaches this instance (the CLI
    // without Redis) still applies within `cacheMs`.
    const missing = subjects.filter((subject) => {
      const cached = this.#own.get(subject);
      return !cached || now - cached.at >= cacheMs;
    });
    if (missing.length > 0) {
      const records = await this.options.store.getLimits(missing);
      for (const subject of missing) {
        this.#own.delete(subject);
        if (this.#own.size >= CACHE_SIZE) this.#own.delete(this.#own.keys().next().value as string);
        const limits = records.find((record) => record.subject === subject)?.limits ?? null;
        this.#own.set(subject, { limits, at: now });
      }
    }
    return {
      userOwn: this.#own.get(principal.userId)?.limits ?? null,
      keyOwn: principal.keyId === undefined ? null : (this.#own.get(principal.keyId)?.limits ?? null),
    };
  }

  /** The budgets the turn runs under, with what each subject spent in its period (one query per period). */
  async #budgets(
    principal: Principal,
    applying: { user: Limits | null; key: Limits | null },
    at: number,
  ): Promise<WatchedBudget[]> {
    const watched: WatchedBudget[] = [];
    const spends = new Map<Budget['period'], PeriodSpend>();
    const spendIn = async (period: Budget['period']) => {
      let spend = spends.get(period);
      if (!spend) {
        spend = await this.#spend(principal.userId, period, at);
        spends.set(period, spend);
      }
      return spend;
    };
    if (applying.user?.budget) {
      const budget = applying.user.budget;
      watched.push({ who: 'user', budget, spentBefore: (await spendIn(budget.period)).user });
    }
    if (applying.key?.budget && principal.keyId) {
      const budget = applying.key.budget;
      const spend = await spendIn(budget.period);
      watched.push({ who: 'key', budget, spentBefore: spend.keys.get(principal.keyId) ?? zero() });
    }
    return watched;
  }

  /** The user's spend in the period `at` is in, in total and per key: one indexed query. */
  async #spend(userId: string, period: Budget['period'], at: number): Promise<PeriodSpend> {
    const groups = await this.options.store.summariseUsage({
      userId,
      groupBy: 'key',
      from: periodStart(period, at),
      to: new Date(nextPeriodStart(period, at)).toISOString(),
    });
    const user = zero();
    const keys = new Map<string, Spend>();
    for (const group of groups) {
      const spend = { usd: group.costUsd, tokens: group.promptTokens + group.completionTokens };
      user.usd += spend.usd;
      user.tokens += spend.tokens;
      if (group.key !== null) keys.set(group.key, spend);
    }
    return { user, keys };
  }
}

/** A user's spend in a period: in total, and per key. */
interface PeriodSpend {
  user: Spend;
  keys: Map<string, Spend>;
}

function ratesOf(subject: string, limits: Limits): SubjectRates {
  return { subject, rpm: limits.rpm, tpm: limits.tpm, maxConcurrentTurns: limits.maxConcurrentTurns };
}

function zero(): Spend {
  return { usd: 0, tokens: 0 };
}

function now(): string {
  return new Date().toISOString();
}

function budgetMessage(watched: WatchedBudget): string {
  const cap = watched.budget.usd !== undefined ? `$${watched.budget.usd}` : `${watched.budget.tokens} tokens`;
  return `The ${watched.who}'s budget of ${cap} per ${watched.budget.period} is spent.`;
}

function refused(refusal: AdmissionRefusal, principal: Principal, rates: SubjectRates[]): MemgateError {
  const who = refusal.subject === principal.userId ? 'user' : 'API key';
  const rate = rates.find((candidate) => candidate.subject === refusal.subject);
  const retry = `Retry after ${refusal.retryAfterSeconds} s.`;
  const message =
    refusal.limit === 'rpm'
      ? `The ${who}'s limit of ${rate?.rpm} turns per minute is reached. ${retry}`
      : refusal.limit === 'tpm'
        ? `The ${who}'s limit of ${rate?.tpm} tokens per minute is reached. ${retry}`
        : `The ${who}'s limit of ${rate?.maxConcurrentTurns} concurrent turns is reached: wait for one to end.`;
  return new MemgateError('RATE_LIMITED', message, {
    detailCode: refusal.limit === 'concurrency' ? 'concurrency_limited' : 'rate_limited',
    retryAfterSeconds: refusal.retryAfterSeconds,
  });
}
