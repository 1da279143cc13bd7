import { randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { bearerToken, generateApiKey, hashApiKey, keyPrefix } from '../auth/api-keys.ts';
import type { ApiKeyRecord, Principal, User } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import { parseOrThrow } from '../errors/validation.ts';
import type { Store } from '../store/store.ts';

export const createUserSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'User names are 1-64 characters of letters, digits, _ . and -.'),
});

/** A key as shown once, at creation. */
export interface CreatedApiKey extends ApiKeyRecord {
  key: string;
}

/** Users, API keys and authentication. */
export class AdminService {
  constructor(
    private readonly store: Store,
    private readonly adminToken: string | undefined,
  ) {}

  /** Resolves `Authorization: Bearer <api key>` to the calling user, or throws 401. */
  async authenticate(authorization: string | null | undefined): Promise<Principal> {
    const token = bearerToken(authorization);
    if (!token) {
      throw new MemgateError('UNAUTHENTICATED', 'Missing API key: send "Authorization: Bearer <api key>".', {
        detailCode: 'missing_api_key',
      });
    }
    const userId = await this.store.findUserIdByKeyHash(hashApiKey(token));
    if (!userId) throw new MemgateError('UNAUTHENTICATED', 'Invalid API key.', { detailCode: 'invalid_api_key' });
    return { userId };
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

  async createApiKey(userId: string): Promise<CreatedApiKey> {
    const user = await this.findUser(userId);
    const key = generateApiKey();
    const record = await this.store.createApiKey({
      id: `key-${randomUUID()}`,
      userId: user.id,
      prefix: keyPrefix(key),
      createdAt: new Date().toISOString(),
      keyHash: hashApiKey(key),
    });
    return { ...record, key };
  }

  async deleteApiKey(keyId: string): Promise<void> {
    if (!(await this.store.deleteApiKey(keyId))) throw new MemgateError('NOT_FOUND', `API key ${keyId} not found.`);
  }

  /** On a fresh store, creates the user `default` with one key; null when users exist already. */
  async ensureDefaultUser(): Promise<{ user: User; key: CreatedApiKey } | null> {
    if ((await this.store.listUsers()).length > 0) return null;
    const user = await this.createUser({ name: 'default' });
    return { user, key: await this.createApiKey(user.id) };
  }
}
