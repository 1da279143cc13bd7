import {
  isAbortError,
  MemgateError,
  type SpanEnd,
  type SpanKind,
  type SpanStart,
  type Telemetry,
  type TelemetrySpan,
} from '@memgate/core';
import type { Logger } from 'pino';
import type { MemgateMetrics } from './metrics.ts';

/** What the log lines and metrics of the core's operations need. */
export interface ObservedTelemetryOptions {
  logger: Logger;
  metrics: MemgateMetrics;
  /** The host (`api.openai.com`) a call to a model goes to, never its URL's credentials or its key. */
  upstreamHost: (model: string) => string;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The core's telemetry as log lines (one per turn, one per upstream failure) and Prometheus
 * metrics. Spans are plain objects ended once; nothing is stringified until a line is written.
 */
export function observedTelemetry(options: ObservedTelemetryOptions): Telemetry {
  return {
    startTurn(attributes) {
      options.metrics.turnsInFlight.inc();
      return new ObservedSpan(options, 'turn', attributes, attributes);
    },
    upstreamFallback(event) {
      const { fromProvider, toProvider, reason } = event;
      options.metrics.upstreamFallbacks.inc({ from_provider: fromProvider, to_provider: toProvider, reason });
      // Ids and model names only: what moved where, and why.
      options.logger.warn(
        {
          requestId: event.requestId,
          agentId: event.agentId,
          purpose: event.purpose,
          fromModel: event.fromModel,
          toModel: event.toModel,
          fromProvider,
          toProvider,
          reason,
        },
        'upstream fallback',
      );
    },
  };
}

class ObservedSpan<K extends SpanKind> implements TelemetrySpan<K> {
  private readonly started = performance.now();
  private firstOutputAt = 0;

  constructor(
    private readonly options: ObservedTelemetryOptions,
    private readonly kind: K,
    private readonly attributes: SpanStart[K],
    private readonly turn: SpanStart['turn'],
  ) {}

  child<C extends SpanKind>(kind: C, attributes: SpanStart[C]): TelemetrySpan<C> {
    if (kind === 'lock.wait') {
      const { agentId } = attributes as SpanStart['lock.wait'];
      const queued = this.options.metrics.queuedByAgent;
      queued.set(agentId, (queued.get(agentId) ?? 0) + 1);
    }
    return new ObservedSpan(this.options, kind, attributes, this.turn);
  }

  firstOutput(): void {
    if (this.firstOutputAt === 0) this.firstOutputAt = performance.now();
  }

  propagation(): Readonly<Record<string, string>> {
    return NO_HEADERS;
  }

  end(result: SpanEnd[K], error?: unknown): void {
    const seconds = (performance.now() - this.started) / 1000;
    const { metrics } = this.options;
    switch (this.kind) {
      case 'turn':
        this.endTurn(result as SpanEnd['turn'], seconds, error);
        return;
      case 'upstream':
        this.endUpstream(result as SpanEnd['upstream'], seconds, error);
        return;
      case 'lock.wait': {
        const { agentId } = this.attributes as SpanStart['lock.wait'];
        const left = (metrics.queuedByAgent.get(agentId) ?? 1) - 1;
        if (left > 0) metrics.queuedByAgent.set(agentId, left);
        else metrics.queuedByAgent.delete(agentId);
        if (error === undefined) metrics.lockWait.observe(seconds);
        return;
      }
      case 'tool': {
        const { name } = this.attributes as SpanStart['tool'];
        const failed = error !== undefined || (result as SpanEnd['tool']).failed;
        metrics.toolExecutions.inc({ tool: name, outcome: failed ? 'error' : 'ok' });
        return;
      }
      case 'summarise':
        metrics.summarisations.inc({ outcome: error === undefined ? 'ok' : 'error' });
        return;
      case 'store.commit':
        metrics.storeCommitDuration.observe(seconds);
        return;
    }
  }

  private endTurn(result: SpanEnd['turn'], seconds: number, error: unknown): void {
    const { metrics, logger } = this.options;
    const { protocol } = this.turn;
    metrics.turnsInFlight.dec();
    metrics.turns.inc({ protocol, outcome: result.outcome });
    metrics.turnDuration.observe({ protocol, outcome: result.outcome }, seconds);
    if (result.steps > 0) metrics.turnSteps.observe({ protocol }, result.steps);
    const firstOutputMs = this.firstOutputAt === 0 ? null : this.firstOutputAt - this.started;
    if (firstOutputMs !== null) metrics.timeToFirstToken.observe({ protocol }, firstOutputMs / 1000);
    const internal = error !== undefined && MemgateError.fromUnknown(error).code === 'INTERNAL_SERVER_ERROR';
    // Counts and ids only: never the messages, the reply or the request body.
    const line = {
      requestId: this.turn.requestId,
      protocol,
      userId: this.turn.userId,
      agentId: result.agentId,
      model: result.model,
      streaming: this.turn.streaming,
      outcome: result.outcome,
      finishReason: result.finishReason,
      steps: result.steps,
      upstreamCalls: result.upstreamCalls,
      promptTokens: result.usage.prompt_tokens,
      completionTokens: result.usage.completion_tokens,
      durationMs: Math.round(seconds * 1000),
      firstOutputMs: firstOutputMs === null ? null : Math.round(firstOutputMs),
    };
    if (internal) logger.error({ ...line, err: error }, 'turn failed');
    else logger.info(line, 'turn');
  }

  private endUpstream(result: SpanEnd['upstream'], seconds: number, error: unknown): void {
    const { metrics, logger, upstreamHost } = this.options;
    const { purpose, attempt, model } = this.attributes as SpanStart['upstream'];
    const cancelled = error !== undefined && isAbortError(error);
    const outcome = error === undefined ? 'ok' : cancelled ? 'cancelled' : 'error';
    metrics.upstreamDuration.observe({ purpose, outcome }, seconds);
    if (result.usage) {
      metrics.upstreamTokens.inc({ direction: 'in' }, result.usage.prompt_tokens);
      metrics.upstreamTokens.inc({ direction: 'out' }, result.usage.completion_tokens);
    }
    if (error === undefined || cancelled) return;
    metrics.upstreamErrors.inc({ status: result.status === null ? 'none' : String(result.status) });
    const failure = MemgateError.fromUnknown(error);
    const line = {
      requestId: this.turn.requestId,
      protocol: this.turn.protocol,
      upstreamHost: upstreamHost(model),
      status: result.status,
      attempt,
      purpose,
      model,
      durationMs: Math.round(seconds * 1000),
      errorCode: failure.detailCode ?? failure.code.toLowerCase(),
      // The provider redacts its key from these messages; they name no memgate key either.
      error: failure.message,
      // What clients are not told (errno, the upstream's raw answer), for the operator.
      ...(failure.logDetail === undefined ? {} : { detail: failure.logDetail }),
    };
    const transient = failure.code === 'RATE_LIMITED' || failure.code === 'UPSTREAM_TIMEOUT';
    if (transient) logger.warn(line, 'upstream call failed');
    else logger.error(line, 'upstream call failed');
  }
}
