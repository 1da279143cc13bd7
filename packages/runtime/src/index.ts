export {
  closeServer,
  createSharedServer,
  listen,
  type Mount,
  type RequestListener,
  type UpgradeListener,
} from './http-server.ts';
export * from './observability/index.ts';
export { banner, createRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';
export { stopOnSignals } from './stop-on-signals.ts';
