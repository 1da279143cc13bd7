export { MIGRATIONS, type Migration } from './migrations.ts';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
