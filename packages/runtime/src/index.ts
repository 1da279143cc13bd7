export {
  closeServer,
  createSharedServer,
  listen,
  type Mount,
  type RequestListener,
  type UpgradeListener,
} from './http-server.ts';
export { CONFIG_EXIT_CODE, loadConfigOrExit } from './load-config-or-exit.ts';
export * from './observability/index.ts';
export { banner, createRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';
export { stopOnSignals } from './stop-on-signals.ts';
export { refuseCrossOriginUpgrade, refuseUpgrade } from './upgrade-response.ts';
