/**
 * What a store's write path needs from the core, and nothing else: `@memgate/core/store-kit`. The
 * SQLite store's writer thread loads only this, not the whole core (zod, the agent loop…), so it
 * starts in milliseconds.
 */
export * from '../errors/memgate-error.ts';
export * from '../memory/search-text.ts';
export * from './agent-settings-row.ts';
export * from './mcp-server-rows.ts';
export * from './sql-rows.ts';
export * from './storable-text.ts';
export * from './store-support.ts';
export * from './usage-rows.ts';
