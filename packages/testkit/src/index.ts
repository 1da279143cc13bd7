export * from './mock-upstream/index.ts';
export * from './store-conformance/index.ts';
