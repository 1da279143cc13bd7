export { RedisEventBus } from './redis-event-bus.ts';
