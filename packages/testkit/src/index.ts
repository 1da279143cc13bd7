export * from './agent-file-fixtures.ts';
export * from './image-fixtures.ts';
export * from './mock-upstream/index.ts';
export * from './otlp-receiver.ts';
export * from './postgres-round-trips.ts';
export * from './protocol-conformance/index.ts';
export * from './store-conformance/index.ts';
export * from './test-memgate.ts';
