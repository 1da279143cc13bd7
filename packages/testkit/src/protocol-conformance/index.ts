export * from './leave-race-conformance.ts';
export * from './protocol-client.ts';
export * from './rest-setup.ts';
export * from './run-protocol-conformance.ts';
export * from './stream-assertions.ts';
export * from './upstream-fault-conformance.ts';
