import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from './create-pool.ts';
import { MIGRATIONS, type Migration } from './migration-steps.ts';
import { applyMigrations } from './migrations.ts';
import { createTemporarySchema, type TemporarySchema } from './temporary-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl)
  console.warn('DATABASE_URL is not set: skipping the PostgreSQL migration tests (CI sets it; see .ci/run).');

const next: Migration = {
  version: (MIGRATIONS.at(-1)?.version ?? 0) + 1,
  description: 'a later step',
  up: 'CREATE TABLE later (x INTEGER)',
};

describe.skipIf(!databaseUrl)('applyMigrations on a real PostgreSQL', () => {
  let schema: TemporarySchema;
  let pool: ReturnType<typeof createPool>;
  beforeAll(async () => {
    schema = await createTemporarySchema(databaseUrl!);
  });
  beforeEach(async () => {
    pool = createPool({ connectionString: schema.connectionString });
    await pool.query(`DROP SCHEMA ${schema.name} CASCADE; CREATE SCHEMA ${schema.name}`);
  });
  afterEach(async () => {
    await pool.end();
  });
  afterAll(async () => {
    await schema?.drop();
  });

  const versions = async () =>
    (await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map(
      (row) => row.version,
    );
  const hasTable = async (name: string) =>
    (await pool.query('SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1', [name]))
      .rowCount === 1;

  it('applies every step on an empty schema, then none', async () => {
    expect(await applyMigrations(pool)).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await applyMigrations(pool)).toEqual([]);
  });

  it('applies only the steps appended since the last run', async () => {
    await applyMigrations(pool);
    expect(await applyMigrations(pool, [...MIGRATIONS, next])).toEqual([next.version]);
    expect(await hasTable('later')).toBe(true);
    expect(await versions()).toEqual([...MIGRATIONS, next].map((migration) => migration.version));
  });

  it('rolls a failing step back entirely and records nothing for it', async () => {
    await applyMigrations(pool);
    const broken = { ...next, up: 'CREATE TABLE later (x INTEGER); INSERT INTO no_such_table VALUES (1);' };
    await expect(applyMigrations(pool, [...MIGRATIONS, broken])).rejects.toThrow(/no_such_table/);
    expect(await hasTable('later')).toBe(false);
    expect(await versions()).toEqual(MIGRATIONS.map((migration) => migration.version));
    // The lock was given back: the next run is not stuck behind the failed one.
    expect(await applyMigrations(pool, [...MIGRATIONS, next])).toEqual([next.version]);
  });

  it('applies each step once when instances migrate at the same moment', async () => {
    const pools = Array.from({ length: 4 }, () => createPool({ connectionString: schema.connectionString }));
    try {
      const applied = await Promise.all(pools.map((each) => applyMigrations(each)));
      expect(applied.flat()).toEqual(MIGRATIONS.map((migration) => migration.version));
    } finally {
      await Promise.all(pools.map((each) => each.end()));
    }
  });

  it('refuses steps out of order', async () => {
    await expect(applyMigrations(pool, [next, ...MIGRATIONS])).rejects.toThrow(/increasing/);
    expect(await hasTable('schema_migrations')).toBe(false);
  });
});
