import type { CircuitState, NamedCircuitReport } from '@memgate/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets (seconds) from a cached answer to a long agent turn. */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const STEPS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20];

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop, GC); default true. */
  processMetrics?: boolean;
}

/** Every metric memgate exposes, on a registry of its own (never prom-client's global one). */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const queuedByAgent = new Map<string, number>();
  // Set once the provider exists (it is built after the metrics): read at each scrape.
  const circuits: { source: () => NamedCircuitReport[] } = { source: () => [] };
  return {
    /** Where `memgate_provider_circuit_state` reads the providers' breakers (`provider.circuits()`). */
    circuits,
    registry,
    /** Turns waiting for an agent's lock, by agent (the gauge reports the longest queue). */
    queuedByAgent,
    httpDuration: new Histogram({
      name: 'memgate_http_request_duration_seconds',
      help: 'HTTP requests, GraphQL operations and WebSocket connections, by protocol, route and status.',
      labelNames: ['protocol', 'method', 'route', 'status'] as const,
      buckets: SECONDS,
      registers,
    }),
    turns: new Counter({
      name: 'memgate_turns_total',
      help: 'Chat turns by protocol and outcome (completed, tool_calls, cancelled, or an error code).',
      labelNames: ['protocol', 'outcome'] as const,
      registers,
    }),
    turnDuration: new Histogram({
      name: 'memgate_turn_duration_seconds',
      help: 'Chat turn duration, from the request to its last event.',
      labelNames: ['protocol', 'outcome'] as const,
      buckets: SECONDS,
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: 'memgate_turn_time_to_first_token_seconds',
      help: 'Time from the request to the first output of a turn.',
      labelNames: ['protocol'] as const,
      buckets: SECONDS,
      registers,
    }),
    turnSteps: new Histogram({
      name: 'memgate_turn_steps',
      help: 'Agent loop steps (upstream calls besides summaries) per turn.',
      labelNames: ['protocol'] as const,
      buckets: STEPS,
      registers,
    }),
    turnsInFlight: new Gauge({ name: 'memgate_turns_in_flight', help: 'Chat turns running now.', registers }),
    upstreamDuration: new Histogram({
      name: 'memgate_upstream_request_duration_seconds',
      help: 'Upstream LLM calls by purpose (step, summary) and outcome (ok, error, cancelled).',
      labelNames: ['purpose', 'outcome'] as const,
      buckets: SECONDS,
      registers,
    }),
    upstreamErrors: new Counter({
      name: 'memgate_upstream_errors_total',
      help: 'Failed upstream LLM calls by the status it answered (`none`: no answer, e.g. refused or timed out).',
      labelNames: ['status'] as const,
      registers,
    }),
    upstreamTokens: new Counter({
      name: 'memgate_upstream_tokens_total',
      help: 'Tokens the upstream reported, by direction (in: prompt, out: completion).',
      labelNames: ['direction'] as const,
      registers,
    }),
    summarisations: new Counter({
      name: 'memgate_summarisations_total',
      help: 'Context window summarisations, by outcome.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    lockWait: new Histogram({
      name: 'memgate_agent_lock_wait_seconds',
      help: 'Time a turn waited for its agent (turns of one agent run one at a time).',
      buckets: SECONDS,
      registers,
    }),
    queuedTurnsMax: new Gauge({
      name: 'memgate_agent_queued_turns_max',
      help: 'The longest queue of turns waiting for one agent, now.',
      registers,
      collect() {
        let max = 0;
        for (const queued of queuedByAgent.values()) if (queued > max) max = queued;
        this.set(max);
      },
    }),
    toolExecutions: new Counter({
      name: 'memgate_tool_executions_total',
      help: 'Agent tools run by the server, by tool and outcome.',
      labelNames: ['tool', 'outcome'] as const,
      registers,
    }),
    storeCommitDuration: new Histogram({
      name: 'memgate_store_commit_duration_seconds',
      help: 'Atomic writes of a turn step to the store.',
      buckets: SECONDS,
      registers,
    }),
    websocketConnections: new Gauge({
      name: 'memgate_websocket_connections',
      help: 'Open WebSocket connections, by channel (chat, graphql).',
      labelNames: ['channel'] as const,
      registers,
    }),
    providerCircuitState: new Gauge({
      name: 'memgate_provider_circuit_state',
      help: "Each provider's circuit breaker on this instance: 0 closed, 1 half-open, 2 open.",
      labelNames: ['provider'] as const,
      registers,
      collect() {
        for (const circuit of circuits.source()) this.set({ provider: circuit.name }, CIRCUIT_GAUGE[circuit.state]);
      },
    }),
    upstreamFallbacks: new Counter({
      name: 'memgate_upstream_fallbacks_total',
      help: 'Upstream calls moved on to the next model of their chain, by provider left, provider tried and reason.',
      labelNames: ['from_provider', 'to_provider', 'reason'] as const,
      registers,
    }),
    graphqlSubscriptions: new Gauge({
      name: 'memgate_graphql_subscriptions',
      help: 'GraphQL subscriptions running now (SSE and graphql-ws).',
      registers,
    }),
  };
}

const CIRCUIT_GAUGE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

export type MemgateMetrics = ReturnType<typeof createMetrics>;
