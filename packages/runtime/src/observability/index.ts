export { logLevelFrom, metricsTokenFrom } from './log-level.ts';
export { createLogger, type LoggerOptions } from './logger.ts';
export { createMetrics, type MemgateMetrics, type MetricsOptions } from './metrics.ts';
export { metricsHandler } from './metrics-endpoint.ts';
export {
  createObservability,
  type Observability,
  type ObservabilityOptions,
  quietObservability,
  type RequestEntry,
  upstreamHostFor,
  upstreamHostOf,
} from './observability.ts';
export { observedTelemetry } from './observed-telemetry.ts';
