import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from './create-pool.ts';
import { PostgresStore } from './postgres-store.ts';
import { createTemporarySchema, type TemporarySchema } from './temporary-schema.ts';

const databaseUrl = process.env['DATABASE_URL'];

describe.skipIf(!databaseUrl)('statement_timeout on PostgreSQL', () => {
  let schema: TemporarySchema;
  beforeAll(async () => {
    schema = await createTemporarySchema(databaseUrl!);
  });
  afterAll(async () => {
    await schema?.drop();
  });

  it('is set on every pooled connection and cancels a query that runs longer', async () => {
    const pool = createPool({ connectionString: schema.connectionString, statementTimeoutMillis: 300 });
    try {
      const shown = await pool.query<{ statement_timeout: string }>('SHOW statement_timeout');
      expect(shown.rows[0]?.statement_timeout).toBe('300ms');
      // The schema of the connection string still applies next to it.
      expect((await pool.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema).toBe(
        schema.name,
      );
      await expect(pool.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
    } finally {
      await pool.end();
    }
  });

  it('is off for a pool that does not ask for it (the agent locks wait in pg_advisory_lock)', async () => {
    const pool = createPool({ connectionString: schema.connectionString });
    try {
      const shown = await pool.query<{ statement_timeout: string }>('SHOW statement_timeout');
      expect(shown.rows[0]?.statement_timeout).toBe('0');
    } finally {
      await pool.end();
    }
  });

  it('does not cut a migration that waits for another instance longer than the timeout', async () => {
    const holder = new pg.Client({ connectionString: schema.connectionString });
    await holder.connect();
    const store = new PostgresStore({ connectionString: schema.connectionString, statementTimeoutMillis: 200 });
    try {
      // Another instance migrating: it holds the migration lock for longer than the store's timeout.
      await holder.query("SELECT pg_advisory_lock(hashtext('memgate.migrations'), hashtext(current_schema()))");
      const migrated = store.migrate();
      await new Promise((resolve) => setTimeout(resolve, 600));
      await holder.query("SELECT pg_advisory_unlock(hashtext('memgate.migrations'), hashtext(current_schema()))");
      await migrated;
      await store.ping();
    } finally {
      await store.close();
      await holder.end();
    }
  });
});
