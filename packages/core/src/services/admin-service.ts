import { randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { bearerToken, generateApiKey, hashApiKey, keyPrefix } from '../auth/api-keys.ts';
import { KeySessions, type SessionEnd } from '../auth/key-sessions.ts';
import type { ApiKeyRecord, Principal, User } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError, parseOrThrow } from '../errors/validation.ts';
import { type EventBus, InProcessEventBus } from '../events/event-bus.ts';
import type { Store } from '../store/store.ts';

export const createUserSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'User names are 1-64 characters of letters, digits, _ . and -.'),
});

export const createApiKeySchema = z.strictObject({
  scope: z.enum(['full', 'read']).default('full'),
  expires_at: z.iso.datetime({ offset: true }).nullable().default(null),
});

export const deleteUserOptionsSchema = z.strictObject({
  force: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .default(false),
});

// last_used_at is written at most this often per key and instance, never on every request.
const TOUCH_INTERVAL_MS = 60_000;

/** A key as shown once, at creation. */
export interface CreatedApiKey extends ApiKeyRecord {
  key: string;
}

/** Users, API keys and authentication. */
export class AdminService {
  readonly #sessions: KeySessions;
  /** When each key's last use was written (epoch ms), so a busy key costs one write a minute. */
  readonly #touched = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly adminToken: string | undefined,
    private readonly events: EventBus = new InProcessEventBus(),
  ) {
    this.#sessions = new KeySessions(events);
  }

  /** Resolves `Authorization: Bearer <api key>` to the calling user, or throws 401. */
  async authenticate(authorization: string | null | undefined): Promise<Principal> {
    const token = bearerToken(authorization);
    if (!token) {
      throw new MemgateError('UNAUTHENTICATED', 'Missing API key: send "Authorization: Bearer <api key>".', {
        detailCode: 'missing_api_key',
      });
    }
    const key = await this.store.findApiKeyByHash(hashApiKey(token));
    if (!key) throw new MemgateError('UNAUTHENTICATED', 'Invalid API key.', { detailCode: 'invalid_api_key' });
    const now = Date.now();
    if (key.expiresAt && Date.parse(key.expiresAt) <= now) {
      throw new MemgateError('UNAUTHENTICATED', `This API key expired at ${key.expiresAt}.`, {
        detailCode: 'invalid_api_key',
      });
    }
    this.#touch(key.id, now);
    return { userId: key.userId, keyId: key.id, scope: key.scope, expiresAt: key.expiresAt };
  }

  /**
   * Ends a long-lived session (WebSocket, graphql-ws) when the key that opened it is revoked, on
   * any instance, or expires: `end` is called once with the reason. Returns the function that stops watching.
   */
  watchSession(principal: Principal, end: SessionEnd): () => void {
    return this.#sessions.watch(principal, end);
  }

  /** Records the key's use unless this instance did within the last minute; never delays the request. */
  #touch(keyId: string, now: number): void {
    const last = this.#touched.get(keyId);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return;
    this.#touched.set(keyId, now);
    this.store.touchApiKey(keyId, new Date(now).toISOString()).catch(() => {
      // Losing one last-use stamp is harmless; failing the request for it would not be.
      this.#touched.delete(keyId);
    });
  }

  /** Checks the admin bearer token; the admin API does not exist unless a token is configured. */
  authorizeAdmin(authorization: string | null | undefined): void {
    if (!this.adminToken) {
      throw new MemgateError('NOT_FOUND', 'The admin API is disabled: set MEMGATE_ADMIN_TOKEN to enable it.');
    }
    const token = bearerToken(authorization);
    const expected = Buffer.from(this.adminToken);
    const given = Buffer.from(token ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new MemgateError('UNAUTHENTICATED', 'Invalid or missing admin token.', {
        detailCode: 'invalid_admin_token',
      });
    }
  }

  async createUser(body: unknown): Promise<User> {
    const { name } = parseOrThrow(createUserSchema, body);
    if (await this.store.getUserByName(name)) {
      throw new MemgateError('CONFLICT', `A user named "${name}" already exists.`, { param: 'name' });
    }
    return this.store.createUser({ id: `user-${randomUUID()}`, name, createdAt: new Date().toISOString() });
  }

  listUsers(): Promise<User[]> {
    return this.store.listUsers();
  }

  /** Finds a user by id or, for the CLI, by name. */
  async findUser(idOrName: string): Promise<User> {
    const user = (await this.store.getUser(idOrName)) ?? (await this.store.getUserByName(idOrName));
    if (!user) throw new MemgateError('NOT_FOUND', `User ${idOrName} not found.`);
    return user;
  }

  /**
   * Deletes a user with their keys (ending the sessions they opened). A user who still has agents
   * is kept (409 `user_has_agents`) unless `force` is `"true"`: then the agents, with their
   * memory and history, go in the same transaction.
   */
  async deleteUser(idOrName: string, options: unknown = {}): Promise<void> {
    const { force } = parseOrThrow(deleteUserOptionsSchema, options ?? {}, 'query');
    const user = await this.findUser(idOrName);
    const agents = await this.store.listAgents(user.id);
    if (agents.length > 0 && !force) {
      throw new MemgateError(
        'CONFLICT',
        `User ${user.name} has ${agents.length} agent(s): delete them first, or force the deletion (force=true; --force in the CLI) to delete them with the user.`,
        { detailCode: 'user_has_agents' },
      );
    }
    const keys = await this.store.listApiKeys(user.id);
    if (!(await this.store.deleteUser(user.id))) throw new MemgateError('NOT_FOUND', `User ${idOrName} not found.`);
    await this.#revoked(keys.map((key) => key.id));
  }

  /** A user's keys, oldest first, without their secrets. */
  async listApiKeys(idOrName: string): Promise<ApiKeyRecord[]> {
    return this.store.listApiKeys((await this.findUser(idOrName)).id);
  }

  /** A new key; `body` may set `scope` (`full`, the default, or `read`) and a future `expires_at`. */
  async createApiKey(userId: string, body: unknown = {}): Promise<CreatedApiKey> {
    const options = parseOrThrow(createApiKeySchema, body ?? {});
    const expiresAt = options.expires_at === null ? null : new Date(options.expires_at);
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw fieldError(['body', 'expires_at'], 'expires_at must be in the future.');
    }
    const user = await this.findUser(userId);
    const key = generateApiKey();
    const record = await this.store.createApiKey({
      id: `key-${randomUUID()}`,
      userId: user.id,
      prefix: keyPrefix(key),
      createdAt: new Date().toISOString(),
      keyHash: hashApiKey(key),
      scope: options.scope,
      expiresAt: expiresAt?.toISOString() ?? null,
      lastUsedAt: null,
    });
    return { ...record, key };
  }

  /** Deletes the key: it stops working at once, and the sessions it opened end on every instance. */
  async deleteApiKey(keyId: string): Promise<void> {
    if (!(await this.store.deleteApiKey(keyId))) throw new MemgateError('NOT_FOUND', `API key ${keyId} not found.`);
    await this.#revoked([keyId]);
  }

  async #revoked(keyIds: string[]): Promise<void> {
    for (const keyId of keyIds) this.#touched.delete(keyId);
    await this.events.publishKeysRevoked(keyIds);
  }

  /** On a fresh store, creates the user `default` with one key; null when users exist already. */
  async ensureDefaultUser(): Promise<{ user: User; key: CreatedApiKey } | null> {
    if ((await this.store.listUsers()).length > 0) return null;
    const user = await this.createUser({ name: 'default' });
    return { user, key: await this.createApiKey(user.id) };
  }
}
