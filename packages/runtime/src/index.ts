export {
  closeServer,
  createSharedServer,
  listen,
  type Mount,
  type RequestListener,
  type SharedServerOptions,
  type UpgradeListener,
} from './http-server.ts';
export { CONFIG_EXIT_CODE, loadConfigOrExit } from './load-config-or-exit.ts';
export * from './observability/index.ts';
export { banner, createRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';
export {
  DEFAULT_STREAM_LIMITS,
  guardSlowReader,
  type SlowReaderGuard,
  type StreamLimits,
} from './slow-reader-guard.ts';
export { DEFAULT_SHUTDOWN_TIMEOUT_MS, stopOnSignals } from './stop-on-signals.ts';
// Types only: the tracing module (and OpenTelemetry) is loaded by `createRuntime` when tracing is on.
export type { Tracing, TracingOptions } from './tracing/tracing.ts';
export { refuseCrossOriginUpgrade, refuseUpgrade } from './upgrade-response.ts';
export {
  DEFAULT_MAX_WS_CONNECTIONS_PER_USER,
  TOO_MANY_CONNECTIONS_CLOSE_CODE,
  UserConnections,
} from './user-connections.ts';
