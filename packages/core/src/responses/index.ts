export * from './response-events.ts';
export { itemId } from './response-input.ts';
export * from './response-object.ts';
export * from './response-record.ts';
export * from './response-request.ts';
export * from './response-schemas.ts';
export * from './response-service.ts';
export * from './response-sse.ts';
