import type { Telemetry } from '@memgate/core';
import type { DestinationStream, Logger } from 'pino';
import { createLogger } from './logger.ts';
import { createMetrics, type MemgateMetrics } from './metrics.ts';
import { observedTelemetry } from './observed-telemetry.ts';

export interface ObservabilityOptions {
  /** LOG_LEVEL; default `info`. */
  level?: string;
  /** Where log lines go; default stdout. */
  destination?: DestinationStream;
  /** The upstream LLM's base URL (MEMGATE_LLM_BASE_URL, the `default` provider); only its host is ever logged. */
  upstreamBaseURL?: string;
  /** The providers file's upstreams by name: a failed call to `name/model` logs that provider's host. */
  providerBaseURLs?: Readonly<Record<string, string>>;
  /** Node's process metrics; default true. */
  processMetrics?: boolean;
}

/** One finished HTTP request, GraphQL operation or WebSocket connection. */
export interface RequestEntry {
  protocol: 'rest' | 'graphql' | 'ws' | 'http';
  method: string;
  /** A route pattern or operation (`/v1/agents/:agentId`, `mutation createAgent`), never a raw path. */
  route: string;
  status: number;
  durationMs: number;
  requestId: string;
  userId?: string | null;
  agentId?: string | null;
  /** The path without its query (it may hold ids): logged, never a metric label. */
  path?: string;
  /** A GraphQL operation (`mutation createChatCompletion`): logged, never a metric label. */
  operation?: string;
  /** How a graphql-ws operation ended: `completed`, `error` or `cancelled` (logged only). */
  outcome?: string;
}

/** The process's logger, metrics and the core's telemetry over them: built once, handed to every app. */
export interface Observability {
  logger: Logger;
  metrics: MemgateMetrics;
  telemetry: Telemetry;
  /** Times a request in `memgate_http_request_duration_seconds` (REST writes its line itself, on the request's logger). */
  observeRequest(entry: RequestEntry): void;
  /** Writes the request's log line, and times it. */
  requestFinished(entry: RequestEntry): void;
}

/** The upstream's host for log lines: no scheme, path, credentials or key. */
export function upstreamHostOf(baseURL: string | undefined): string {
  if (!baseURL) return 'offline';
  try {
    return new URL(baseURL).host;
  } catch {
    return 'unknown';
  }
}

/**
 * The host a call to `model` went to: its provider's when the model is `name/model` of a file
 * provider, else the default upstream's (the registry's routing rule).
 */
export function upstreamHostFor(
  defaultBaseURL: string | undefined,
  providerBaseURLs: Readonly<Record<string, string>> = {},
): (model: string) => string {
  const fallback = upstreamHostOf(defaultBaseURL);
  const hosts = new Map(Object.entries(providerBaseURLs).map(([name, url]) => [name, upstreamHostOf(url)]));
  if (hosts.size === 0) return () => fallback;
  return (model) => {
    const slash = model.indexOf('/');
    return (slash > 0 && hosts.get(model.slice(0, slash))) || fallback;
  };
}

export function createObservability(options: ObservabilityOptions = {}): Observability {
  const logger = createLogger({ level: options.level, destination: options.destination });
  const metrics = createMetrics({ processMetrics: options.processMetrics });
  const telemetry = observedTelemetry({
    logger,
    metrics,
    upstreamHost: upstreamHostFor(options.upstreamBaseURL, options.providerBaseURLs),
  });
  const observeRequest = (entry: RequestEntry) => {
    const { protocol, method, route, status } = entry;
    const labels = { protocol, method, route, status: String(status) };
    metrics.httpDuration.observe(labels, entry.durationMs / 1000);
  };
  return {
    logger,
    metrics,
    telemetry,
    observeRequest,
    requestFinished(entry) {
      observeRequest(entry);
      const line = { ...entry, durationMs: Math.round(entry.durationMs) };
      if (entry.status >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    },
  };
}

/** For apps started without one (tests): silent, with its own registry and no process metrics. */
export function quietObservability(): Observability {
  return createObservability({ level: 'silent', processMetrics: false });
}
