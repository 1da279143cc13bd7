export { DATA_DIR_MODE, DATABASE_FILE_MODE, type DataDirState, prepareDataDir } from './data-files.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
