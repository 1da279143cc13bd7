import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A schema of its own for one test file or bench run, on a shared database. */
export interface TemporarySchema {
  name: string;
  /** `DATABASE_URL` with `search_path` set to the schema, for stores, locks and child processes. */
  connectionString: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/**
 * Creates `<prefix>_<pid>_<random>` so that test files, bench runs and CI runs sharing one database
 * never see each other's tables. Test and bench support: exported as
 * `@memgate/store-postgres/temporary-schema`, not by the package's main entry.
 */
export async function createTemporarySchema(databaseUrl: string, prefix = 'memgate_test'): Promise<TemporarySchema> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(databaseUrl, `CREATE SCHEMA ${name}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    connectionString: url.toString(),
    drop: () => adminQuery(databaseUrl, `DROP SCHEMA IF EXISTS ${name} CASCADE`),
  };
}

async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
