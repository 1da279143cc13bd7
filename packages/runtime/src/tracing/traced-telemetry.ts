import {
  isAbortError,
  MemgateError,
  type SpanEnd,
  type SpanKind,
  type SpanStart,
  type Telemetry,
  type TelemetrySpan,
} from '@memgate/core';
import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  SpanKind as OtelSpanKind,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { endAttributes, type SpanSettings, spanName, startAttributes } from './span-attributes.ts';

export interface TracedTelemetryOptions extends SpanSettings {
  tracer: Tracer;
}

/** W3C Trace Context only: `traceparent`/`tracestate` in (from the client), and out (to the upstream). */
const propagator = new W3CTraceContextPropagator();

/**
 * The core's telemetry as OpenTelemetry spans: a turn continues the client's trace when its
 * request carried a `traceparent`, its operations are child spans, and upstream calls carry the
 * `traceparent` of their own span. No global tracer, context manager or propagator is registered:
 * each span keeps its context, so nothing else in the process is affected.
 */
export function tracedTelemetry(options: TracedTelemetryOptions): Telemetry {
  return {
    startTurn(attributes) {
      const parent = attributes.carrier
        ? propagator.extract(ROOT_CONTEXT, attributes.carrier, defaultTextMapGetter)
        : ROOT_CONTEXT;
      const span = options.tracer.startSpan(
        spanName('turn', attributes),
        { kind: OtelSpanKind.SERVER, attributes: startAttributes('turn', attributes, options) },
        parent,
      );
      return new TracedSpan(options, 'turn', span, trace.setSpan(parent, span));
    },
  };
}

class TracedSpan<K extends SpanKind> implements TelemetrySpan<K> {
  private firstOutputSeen = false;

  constructor(
    private readonly options: TracedTelemetryOptions,
    private readonly kind: K,
    private readonly span: Span,
    private readonly context: Context,
  ) {}

  child<C extends SpanKind>(kind: C, attributes: SpanStart[C]): TelemetrySpan<C> {
    const span = this.options.tracer.startSpan(
      spanName(kind, attributes),
      {
        kind: kind === 'upstream' ? OtelSpanKind.CLIENT : OtelSpanKind.INTERNAL,
        attributes: startAttributes(kind, attributes, this.options),
      },
      this.context,
    );
    return new TracedSpan(this.options, kind, span, trace.setSpan(this.context, span));
  }

  firstOutput(): void {
    if (this.firstOutputSeen) return;
    this.firstOutputSeen = true;
    this.span.addEvent('memgate.first_output');
  }

  propagation(): Readonly<Record<string, string>> {
    const headers: Record<string, string> = {};
    propagator.inject(this.context, headers, defaultTextMapSetter);
    return headers;
  }

  end(result: SpanEnd[K], error?: unknown): void {
    this.span.setAttributes(endAttributes(this.kind, result, this.options));
    if (error !== undefined) this.fail(error);
    else if (this.kind === 'tool' && (result as SpanEnd['tool']).failed) {
      // The agent sees a failed tool call as a result and may repair it; the span still shows it.
      this.span.setAttribute(ATTR_ERROR_TYPE, 'tool_error');
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: 'The tool failed.' });
    }
    this.span.end();
  }

  private fail(error: unknown): void {
    // A client that left is not a failure of the operation.
    if (isAbortError(error)) return;
    const failure = MemgateError.fromUnknown(error);
    if (failure.detailCode === 'cancelled') return;
    // The closed set of codes (as the turn's outcome and the metrics' labels), not the detail code.
    this.span.setAttribute(ATTR_ERROR_TYPE, failure.code.toLowerCase());
    // A turn refused for bad input is the client's error, as HTTP servers report 4xx: not a failed span.
    if (this.kind === 'turn' && failure.status < 500) return;
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    if (failure.code === 'INTERNAL_SERVER_ERROR') this.span.recordException(asException(failure.cause ?? error));
  }
}

function asException(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}
