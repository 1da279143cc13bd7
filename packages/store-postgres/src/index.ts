export { createPool, describeConnection, type PoolOptions } from './create-pool.ts';
export { MIGRATIONS, type Migration } from './migration-steps.ts';
export { applyMigrations } from './migrations.ts';
export { PostgresAgentLock, type PostgresAgentLockOptions } from './postgres-agent-lock.ts';
export { PostgresStore, type PostgresStoreOptions } from './postgres-store.ts';
