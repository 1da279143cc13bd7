import { readFile } from 'node:fs/promises';
import {
  agentResource,
  apiKeyResource,
  limitsRecordResource,
  type Memgate,
  type Principal,
  userResource,
} from '@memgate/core';

/** What a command gets: the core, its positional arguments and the parsed options. */
export interface CommandInput {
  memgate: Memgate;
  args: string[];
  /** `--user`: the user (id or name) whose agents a command works on; default `default`. */
  user: string;
  /** `--model`, for `agents create`. */
  model: string | undefined;
  /** `--scope` and `--expires-at`, for `keys create`. */
  scope?: string | undefined;
  expiresAt?: string | undefined;
  /** `--force`, for `users delete`. */
  force?: boolean | undefined;
  /** `--messages`, for `agents export`. */
  messages?: string | undefined;
  /** `--dry-run`, for `agents import`. */
  dryRun?: boolean | undefined;
  /** Whether `--user` was given (`usage`: one user's instead of everyone's). */
  userGiven?: boolean;
  /** `--key`, for `limits`: a key's limits instead of the user's. */
  key?: string | undefined;
  /** The options of `limits set`, as typed. */
  limits?: LimitOptions;
  /** The options of `usage`, as typed. */
  usage?: { groupBy?: string | undefined; from?: string | undefined; to?: string | undefined };
}

export interface LimitOptions {
  rpm?: string | undefined;
  tpm?: string | undefined;
  concurrency?: string | undefined;
  budgetUsd?: string | undefined;
  budgetTokens?: string | undefined;
  period?: string | undefined;
  exempt?: boolean | undefined;
}

/** A number as typed, or the text itself, so that the core's 422 names the field and what it got. */
function numeric(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}

/** The `PUT …/limits` body of `limits set`'s options. */
function limitsBody(options: LimitOptions = {}): Record<string, unknown> {
  const budget =
    options.budgetUsd !== undefined || options.budgetTokens !== undefined
      ? {
          ...(options.budgetUsd !== undefined && { usd: numeric(options.budgetUsd) }),
          ...(options.budgetTokens !== undefined && { tokens: numeric(options.budgetTokens) }),
          period: options.period ?? 'month',
        }
      : undefined;
  return {
    ...(options.rpm !== undefined && { rpm: numeric(options.rpm) }),
    ...(options.tpm !== undefined && { tpm: numeric(options.tpm) }),
    ...(options.concurrency !== undefined && { max_concurrent_turns: numeric(options.concurrency) }),
    ...(budget && { budget }),
    ...(options.exempt && { exempt: true }),
  };
}

async function principalOf(memgate: Memgate, user: string): Promise<Principal> {
  return { userId: (await memgate.admin.findUser(user)).id };
}

/** What each command does, by `GROUP ACTION` (see command-list.ts). */
export const COMMAND_RUNS: Record<string, (input: CommandInput) => Promise<unknown>> = {
  'users list': async ({ memgate }) => (await memgate.admin.listUsers()).map(userResource),
  'users create': async ({ memgate, args }) => userResource(await memgate.admin.createUser({ name: args[0] })),
  'users delete': async ({ memgate, args, force }) => {
    await memgate.admin.deleteUser(args[0] ?? '', { force: force ? 'true' : 'false' });
    return { id: args[0], deleted: true };
  },
  'keys list': async ({ memgate, args }) =>
    (await memgate.admin.listApiKeys(args[0] ?? '')).map(apiKeyResource).map(({ user_id: _user, ...key }) => key),
  'keys create': async ({ memgate, args, scope, expiresAt }) => {
    const body = { ...(scope !== undefined && { scope }), ...(expiresAt !== undefined && { expires_at: expiresAt }) };
    const created = await memgate.admin.createApiKey(args[0] ?? '', body);
    return {
      id: created.id,
      key: created.key,
      user_id: created.userId,
      scope: created.scope,
      expires_at: created.expiresAt,
      created_at: created.createdAt,
    };
  },
  'keys delete': async ({ memgate, args }) => {
    await memgate.admin.deleteApiKey(args[0] ?? '');
    return { id: args[0], deleted: true };
  },
  'agents list': async ({ memgate, user }) => {
    const agents = await memgate.agents.list(await principalOf(memgate, user));
    return agents.map(agentResource).map(({ id, name, model, created_at }) => ({ id, name, model, created_at }));
  },
  'agents create': async ({ memgate, args, user, model }) => {
    const body = model ? { name: args[0], model } : { name: args[0] };
    const {
      id,
      name,
      model: agentModel,
      created_at,
    } = agentResource(await memgate.agents.create(await principalOf(memgate, user), body));
    return { id, name, model: agentModel, created_at };
  },
  'agents delete': async ({ memgate, args, user }) => {
    await memgate.agents.delete(await principalOf(memgate, user), args[0] ?? '');
    return { id: args[0], deleted: true };
  },
  'agents export': async ({ memgate, args, user, messages }) =>
    memgate.agentFiles.export(await principalOf(memgate, user), args[0] ?? '', messages ? { messages } : {}),
  'limits set': async ({ memgate, user, key, limits }) => {
    const body = limitsBody(limits);
    const record = key ? await memgate.limits.setKeyLimits(key, body) : await memgate.limits.setUserLimits(user, body);
    return limitsRecordResource(record);
  },
  'limits show': async ({ memgate, user, key }) =>
    limitsRecordResource(key ? await memgate.limits.keyLimits(key) : await memgate.limits.userLimits(user)),
  'limits clear': async ({ memgate, user, key }) => {
    if (key) await memgate.limits.clearKeyLimits(key);
    else await memgate.limits.clearUserLimits(user);
    return { [key ? 'key_id' : 'user']: key ?? user, cleared: true };
  },
  usage: async ({ memgate, user, userGiven, usage }) => {
    const query = {
      ...(userGiven && { user_id: (await memgate.admin.findUser(user)).id }),
      ...(usage?.groupBy !== undefined && { group_by: usage.groupBy }),
      ...(usage?.from !== undefined && { from: usage.from }),
      ...(usage?.to !== undefined && { to: usage.to }),
    };
    const report = await memgate.usage.adminReport(query);
    return [...report.data, { key: 'total', ...report.totals }];
  },
  'agents import': async ({ memgate, args, user, dryRun }) => {
    const text = await readFile(args[0] ?? '', 'utf8');
    return memgate.agentFiles.import(await principalOf(memgate, user), text, dryRun ? { dry_run: 'true' } : {});
  },
};
