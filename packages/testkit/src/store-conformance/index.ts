export { runStoreConformance } from './run-store-conformance.ts';
export type { StoreConformanceOptions } from './store-harness.ts';
