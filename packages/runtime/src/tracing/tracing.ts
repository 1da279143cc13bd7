import type { Telemetry } from '@memgate/core';
import { type DiagLogFunction, DiagLogLevel, diag } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  resourceAttributesEnvDetector,
  resourceFromAttributes,
  serviceNameEnvDetector,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';
import { tracedTelemetry } from './traced-telemetry.ts';

export interface TracingOptions {
  /** The OTLP/HTTP traces URL (config `tracing.endpoint`); spans are batched and sent there as JSON. */
  endpoint?: string;
  /** Where spans go instead of `endpoint` (e.g. an in-memory exporter behind a SimpleSpanProcessor). */
  spanProcessors?: SpanProcessor[];
  /** MEMGATE_TRACE_CONTENT: messages, replies, tool arguments and results go into spans. */
  content: boolean;
  /** The upstream LLM's base URL (`server.address`/`server.port`); none: the offline model. */
  upstreamBaseURL?: string;
  /** Where the SDK's own warnings (a collector that cannot be reached) are logged. */
  logger?: Logger;
}

/** The OpenTelemetry side of a process: the core's telemetry as spans, and the provider to flush on stop. */
export interface Tracing {
  telemetry: Telemetry;
  /** Exports the spans still buffered, then stops; the runtime calls it when the server stops. */
  shutdown(): Promise<void>;
}

/**
 * Builds a tracer provider of its own (nothing is registered globally). The resource's
 * `service.name` is `memgate` unless OTEL_SERVICE_NAME says otherwise; OTEL_RESOURCE_ATTRIBUTES
 * and the exporter's variables (OTEL_EXPORTER_OTLP_HEADERS, …_TIMEOUT, …_COMPRESSION) are read by
 * the SDK itself.
 */
export function createTracing(options: TracingOptions): Tracing {
  if (options.logger) forwardDiagnostics(options.logger);
  const processors = options.spanProcessors ?? [
    new BatchSpanProcessor({ exporter: new OTLPTraceExporter(options.endpoint ? { url: options.endpoint } : {}) }),
  ];
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'memgate' }))
    .merge(detectResources({ detectors: [resourceAttributesEnvDetector, serviceNameEnvDetector] }));
  const provider = new TracerProvider({ resource, spanProcessors: processors });
  const telemetry = tracedTelemetry({
    tracer: provider.getTracer('memgate'),
    content: options.content,
    providerName: options.upstreamBaseURL ? 'openai' : 'memgate.offline',
    server: serverOf(options.upstreamBaseURL),
  });
  return {
    telemetry,
    // The provider rejects when its last export failed: stopping the server must not fail for that.
    shutdown: () =>
      provider.shutdown().catch((error: unknown) => {
        options.logger?.warn({ details: [String(error)] }, 'opentelemetry: the last spans could not be exported');
      }),
  };
}

/** The upstream's host and port, for `server.address` and `server.port`. */
function serverOf(baseURL: string | undefined): { address: string; port: number } | null {
  if (!baseURL || !URL.canParse(baseURL)) return null;
  const url = new URL(baseURL);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { address: url.hostname, port };
}

/** The SDK reports export failures through its `diag` channel: to the process's log, as warnings. */
function forwardDiagnostics(logger: Logger): void {
  const warn: DiagLogFunction = (message, ...args) =>
    logger.warn({ details: args.map(String) }, `opentelemetry: ${message}`);
  const ignore: DiagLogFunction = () => undefined;
  diag.setLogger(
    { error: warn, warn, info: ignore, debug: ignore, verbose: ignore },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
}
