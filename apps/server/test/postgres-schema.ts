import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A schema of its own on the shared test database, dropped by `drop()`. */
export interface TestSchema {
  name: string;
  /** `DATABASE_URL` for the servers: the same database, with `search_path` set to the schema. */
  databaseUrl: string;
  /** Runs one query on the schema (to look at what the servers wrote). */
  query<Row extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

/** Creates `memgate_test_<pid>_<random>`, so test files and CI runs sharing the database never meet. */
export async function createTestSchema(databaseUrl: string): Promise<TestSchema> {
  const name = `memgate_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined);
  await pool.query(`CREATE SCHEMA ${name}`);
  return {
    name,
    databaseUrl: url.toString(),
    async query<Row extends pg.QueryResultRow>(sql: string, values: unknown[] = []) {
      return (await pool.query<Row>(sql, values)).rows;
    },
    async drop() {
      try {
        await pool.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}
