import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type AgentLock,
  type EventBus,
  type LimitCounters,
  type MemgateConfig,
  MemgateError,
  type Store,
} from '@memgate/core';
import { RedisEventBus, RedisLimitCounters } from '@memgate/redis';
import { describeConnection, PostgresAgentLock, PostgresStore } from '@memgate/store-postgres';
import { type DataDirState, prepareDataDir, SqliteStore } from '@memgate/store-sqlite';

/** Where state lives and how instances coordinate, as chosen by the environment. */
export interface Backends {
  store: Store;
  /** Undefined: the core's in-process FIFO lock. */
  lock: AgentLock | undefined;
  /** Undefined: the core's in-process event bus. */
  events: EventBus | undefined;
  /** Undefined: the core's in-process limit counters (one instance). */
  limitCounters: LimitCounters | undefined;
  /** Banner lines, label → what is in use. */
  descriptions: { store: string; locks: string; events: string };
  /** The SQLite data directory as found at startup (absent with PostgreSQL). */
  dataDir?: DataDirState;
  /** Closes what the core does not close itself (the lock's connections). */
  close(): Promise<void>;
}

/**
 * `DATABASE_URL` → PostgreSQL store and PostgreSQL advisory locks (turns serialised across
 * instances); `REDIS_URL` → agent events over Redis (subscribers see every instance's messages);
 * neither → embedded SQLite with in-process lock and events, for one instance.
 */
export async function openBackends(config: MemgateConfig, options: { existingOnly?: boolean } = {}): Promise<Backends> {
  const sqliteFile = resolve(config.dataDir, 'memgate.sqlite');
  // Checked before any connection opens, so a refusal leaves nothing behind.
  if (options.existingOnly && !config.databaseUrl && !existsSync(sqliteFile)) {
    throw new MemgateError(
      'NOT_FOUND',
      `No memgate data in ${resolve(config.dataDir)} (no memgate.sqlite): set MEMGATE_DATA_DIR to the server's data directory, or DATABASE_URL.`,
    );
  }
  const events = config.redisUrl ? await RedisEventBus.connect(config.redisUrl) : undefined;
  // rpm, tpm and concurrent turns counted in Redis hold across instances.
  const limitCounters = config.redisUrl
    ? await RedisLimitCounters.connect(config.redisUrl).catch(async (error) => {
        await events?.close();
        throw error;
      })
    : undefined;
  const eventsDescription = config.redisUrl
    ? `Redis at ${describeConnection(config.redisUrl)} (shared by every instance)`
    : 'in-process (set REDIS_URL so that subscribers see the messages of other instances)';
  try {
    if (config.databaseUrl) {
      const connectionString = config.databaseUrl;
      const lock = new PostgresAgentLock({ connectionString, maxConnections: config.postgresPools.locks });
      return {
        store: new PostgresStore({
          connectionString,
          max: config.postgresPools.store,
          statementTimeoutMillis: config.postgresStatementTimeoutMs,
        }),
        lock,
        events,
        limitCounters,
        descriptions: {
          store: `PostgreSQL at ${describeConnection(connectionString)}`,
          locks: 'PostgreSQL advisory locks (turns on one agent serialised across instances)',
          events: eventsDescription,
        },
        close: () => lock.close(),
      };
    }
    const dataDir = prepareDataDir(config.dataDir);
    return {
      store: SqliteStore.open(config.dataDir),
      dataDir,
      lock: undefined,
      events,
      limitCounters,
      descriptions: {
        store: `SQLite at ${sqliteFile}`,
        locks: 'in-process (one instance; set DATABASE_URL to run several)',
        events: eventsDescription,
      },
      close: async () => undefined,
    };
  } catch (error) {
    await events?.close();
    await limitCounters?.close();
    throw error;
  }
}
