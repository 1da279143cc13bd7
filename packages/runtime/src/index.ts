export {
  closeServer,
  createSharedServer,
  listen,
  type Mount,
  type RequestListener,
  type UpgradeListener,
} from './http-server.ts';
export { banner, createRuntime, type Runtime } from './runtime.ts';
export { stopOnSignals } from './stop-on-signals.ts';
export { refuseCrossOriginUpgrade, refuseUpgrade } from './upgrade-response.ts';
