import type { Usage } from '../domain/types.ts';
import type { FallbackReason } from '../llm/fallback-reason.ts';
import type { LlmMessage, LlmResult } from '../llm/provider.ts';

/**
 * Who asked for a turn: the adapter's request id (taken from `x-request-id` or generated, see
 * `acceptRequestId`), its protocol, and trace headers it received (W3C `traceparent`/`tracestate`),
 * so that a tracer can continue the client's trace.
 */
export interface RequestContext {
  requestId: string;
  /** `rest`, `graphql`, `ws`… a small closed set: it is a metric label. */
  protocol: string;
  /** Inbound propagation headers, lower-case names (e.g. `traceparent`); never credentials. */
  carrier?: Readonly<Record<string, string>>;
}

/** What is known when each operation starts. */
export interface SpanStart {
  /** One chat turn, from the request to its last event: the root of the others. */
  turn: RequestContext & { userId: string; streaming: boolean };
  /** Waiting for the agent's lock (turns of one agent run one at a time). */
  'lock.wait': { agentId: string };
  /** One step of the agent loop: an upstream call and the tools it asked for. */
  step: { index: number; agentId: string };
  /** One call to the upstream LLM. `attempt` counts from 1 (2: retried after a forced summary). */
  upstream: {
    model: string;
    streaming: boolean;
    purpose: 'step' | 'summary';
    attempt: number;
    /**
     * The messages sent, by reference: only a tracer told to record content (MEMGATE_TRACE_CONTENT)
     * serialises them; nothing else may read or log them.
     */
    messages?: readonly LlmMessage[];
  };
  /** One agent tool run by the server (client tools are not run here). */
  tool: {
    name: string;
    /** The upstream's id of the call. */
    callId?: string;
    /** The call's JSON arguments as the model wrote them: content, like `upstream.messages`. */
    arguments?: string;
  };
  /** Folding the oldest messages of the window into its summary. */
  summarise: { agentId: string };
  /** One atomic write of a step to the store. */
  'store.commit': { agentId: string; messages: number };
}

/** What is known when each operation ends (besides the error, passed separately). */
export interface SpanEnd {
  turn: {
    /** `completed`, `tool_calls`, `cancelled`, or the error code in lower case. */
    outcome: string;
    agentId: string | null;
    model: string | null;
    steps: number;
    upstreamCalls: number;
    usage: Usage;
    finishReason: string | null;
  };
  'lock.wait': Record<string, never>;
  step: Record<string, never>;
  upstream: {
    usage: Usage | null;
    finishReason: string | null;
    /** The upstream's HTTP status on failure (null: no answer, e.g. connection refused or timeout). */
    status: number | null;
    /** The answer, by reference (its model; its content only for a tracer that records content). */
    response?: LlmResult;
  };
  tool: {
    failed: boolean;
    /** What the tool answered the agent: content, like `upstream.messages`. */
    output?: string;
  };
  summarise: Record<string, never>;
  'store.commit': Record<string, never>;
}

export type SpanKind = keyof SpanStart;

/**
 * One running operation. Children are started from their parent, so a tracer keeps the parent's
 * context in the span it returns (OpenTelemetry: a child span), and metrics/logs see the nesting.
 */
export interface TelemetrySpan<K extends SpanKind = SpanKind> {
  child<C extends SpanKind>(kind: C, attributes: SpanStart[C]): TelemetrySpan<C>;
  /** The first output reached the client (a turn's time to first token). */
  firstOutput(): void;
  /** Headers to send with an upstream call made within this span (a tracer adds `traceparent`). */
  propagation(): Readonly<Record<string, string>>;
  /** Ends the operation, once; `error` when it failed. */
  end(result: SpanEnd[K], error?: unknown): void;
}

/**
 * The narrow interface the core reports through: logs, metrics and traces implement it outside
 * the core (see `@memgate/runtime`) and are combined there. Implementations must be cheap and
 * must not throw.
 */
export interface Telemetry {
  startTurn(attributes: SpanStart['turn']): TelemetrySpan<'turn'>;
  /** A call moved on to the next model of its chain (optional: one log line and one counter in the runtime). */
  upstreamFallback?(event: UpstreamFallback): void;
}

/** One upstream call given up on one model and tried on the next of its chain (see `fallback_models`). */
export interface UpstreamFallback {
  /** The turn's request id; null for work outside a turn (a window compacted by a PATCH). */
  requestId: string | null;
  agentId: string;
  purpose: 'step' | 'summary';
  fromModel: string;
  toModel: string;
  fromProvider: string;
  toProvider: string;
  reason: FallbackReason;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

const NOOP_SPAN: TelemetrySpan = {
  child: () => NOOP_SPAN as never,
  firstOutput: () => undefined,
  propagation: () => NO_HEADERS,
  end: () => undefined,
};

/** Reports nothing: the default when no telemetry is wired. */
export const NO_TELEMETRY: Telemetry = { startTurn: () => NOOP_SPAN as TelemetrySpan<'turn'> };

/** Fans every operation out to several implementations (logs + metrics + traces). */
export function combineTelemetry(...parts: Telemetry[]): Telemetry {
  if (parts.length === 0) return NO_TELEMETRY;
  if (parts.length === 1) return parts[0]!;
  return {
    startTurn: (attributes) => combined(parts.map((part) => part.startTurn(attributes))),
    upstreamFallback: (event) => {
      for (const part of parts) part.upstreamFallback?.(event);
    },
  };
}

function combined<K extends SpanKind>(spans: TelemetrySpan<K>[]): TelemetrySpan<K> {
  return {
    child: (kind, attributes) => combined(spans.map((span) => span.child(kind, attributes))),
    firstOutput: () => {
      for (const span of spans) span.firstOutput();
    },
    propagation: () => Object.assign({}, ...spans.map((span) => span.propagation())),
    end: (result, error) => {
      for (const span of spans) span.end(result, error);
    },
  };
}
