export { RedisEventBus } from './redis-event-bus.ts';
export * from './redis-limit-counters.ts';
