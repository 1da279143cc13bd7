export * from './request-id.ts';
export * from './telemetry.ts';
