export { newAgent, newUser, userMessage } from './fixtures.ts';
export { runStoreConformance } from './run-store-conformance.ts';
export type { StoreConformanceOptions } from './store-harness.ts';
