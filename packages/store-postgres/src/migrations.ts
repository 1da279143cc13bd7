import type { Pool, PoolClient } from 'pg';
import { MIGRATIONS, type Migration } from './migration-steps.ts';

/** Key of the session advisory lock that serialises migrations, per schema (see applyMigrations). */
const MIGRATION_LOCK = "hashtext('memgate.migrations'), hashtext(current_schema())";

/**
 * Applies the steps of `migrations` the database has not seen, each in its own transaction.
 * Instances starting together queue on an advisory lock, so a step is applied once and the
 * `CREATE TABLE IF NOT EXISTS` of the bookkeeping table never races. Returns the versions applied.
 */
export async function applyMigrations(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  assertOrdered(migrations);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // Waiting for another instance's migration, or a long step of our own, is not a stuck query:
    // no statement_timeout for this session, until it goes back to the pool.
    await client.query('SET statement_timeout = 0');
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      return await applyUnderLock(client, migrations);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
      await client.query('RESET statement_timeout');
    }
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection that failed part-way may still hold the lock: drop it rather than pool it.
    client.release(broken);
  }
}

async function applyUnderLock(client: PoolClient, migrations: readonly Migration[]): Promise<number[]> {
  await client.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const { rows } = await client.query<{ version: number | null }>(
    'SELECT MAX(version) AS version FROM schema_migrations',
  );
  const current = rows[0]?.version ?? 0;
  const known = migrations.at(-1)?.version ?? 0;
  if (current > known) {
    // Running old code on a newer schema would silently misread it: refuse instead.
    throw new Error(`The database schema is at version ${current}, newer than this memgate knows (${known}).`);
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.up);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        migration.version,
        new Date().toISOString(),
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    applied.push(migration.version);
  }
  return applied;
}

function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(`Migration versions must be increasing integers; got ${migration.version} after ${previous}.`);
    }
    previous = migration.version;
  }
}
