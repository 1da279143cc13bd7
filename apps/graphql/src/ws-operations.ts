import { traceCarrier } from '@memgate/core';
import type { Observability } from '@memgate/runtime';
import type { GraphQLError } from 'graphql';
import type { GraphqlRequestState } from './request-state.ts';

/** How a graphql-ws operation ended, for its log line. */
type Outcome = 'completed' | 'error' | 'cancelled';

interface RunningOperation {
  state: GraphqlRequestState;
  startedAt: number;
  /** 200, or the HTTP status of the first error it reported (`extensions.status`). */
  status: number;
}

/**
 * The operations of one graphql-ws connection, each with a request state of its own (its name and
 * agent, and its client's trace context) and one log line when it ends: completed, failed (a
 * GraphQL error, in a result or as an `error` message) or cancelled (the client completed it or
 * closed the connection first).
 */
export class WsOperations {
  private readonly running = new Map<string, RunningOperation>();

  constructor(
    private readonly connection: GraphqlRequestState,
    private readonly observability: Observability,
  ) {}

  /**
   * A `subscribe` message arrived: its state shares the connection's request id and user. A W3C
   * `traceparent` in the message's `extensions` (browsers cannot set headers on a WebSocket)
   * continues that trace; otherwise the upgrade request's applies.
   */
  start(id: string, extensions: Record<string, unknown> | undefined): GraphqlRequestState {
    const carrier = traceCarrier((name) => (typeof extensions?.[name] === 'string' ? extensions[name] : undefined));
    const state: GraphqlRequestState = {
      ...this.connection,
      agentId: null,
      operation: null,
      ...(carrier && { carrier }),
    };
    this.running.set(id, { state, startedAt: performance.now(), status: 200 });
    return state;
  }

  /** A result was sent: errors in it make the operation a failed one. */
  next(id: string, errors: readonly GraphQLError[] | undefined): void {
    const operation = this.running.get(id);
    if (operation && errors?.length && operation.status === 200) operation.status = statusOf(errors);
  }

  /** An `error` message was sent: the operation ends here (graphql-ws may still call `complete`). */
  error(id: string, errors: readonly GraphQLError[]): void {
    const operation = this.running.get(id);
    if (!operation) return;
    if (operation.status === 200) operation.status = statusOf(errors);
    this.finish(id, 'error');
  }

  /** Ended; `byServer` false when the client completed it, or the connection closed, first. */
  complete(id: string, byServer: boolean): void {
    const operation = this.running.get(id);
    if (!operation) return;
    this.finish(id, operation.status !== 200 ? 'error' : byServer ? 'completed' : 'cancelled');
  }

  /** The connection closed: what still runs is cancelled. */
  closeAll(): void {
    for (const id of [...this.running.keys()]) this.finish(id, 'cancelled');
  }

  private finish(id: string, outcome: Outcome): void {
    const operation = this.running.get(id);
    if (!operation) return;
    this.running.delete(id);
    const { state } = operation;
    // The connection's own line names the last agent any of its operations worked on.
    if (state.agentId) this.connection.agentId = state.agentId;
    this.observability.requestFinished({
      protocol: 'graphql',
      // The graphql-ws message that starts every operation: never mixed with the connection's `WS` series.
      method: 'SUBSCRIBE',
      route: '/graphql',
      status: operation.status,
      durationMs: performance.now() - operation.startedAt,
      requestId: state.requestId,
      userId: state.userId,
      agentId: state.agentId,
      operation: state.operation ?? 'unknown',
      outcome,
    });
  }
}

/** The HTTP status REST would answer for the first error (masked errors carry it in `extensions`). */
function statusOf(errors: readonly GraphQLError[]): number {
  const status = errors[0]?.extensions?.['status'];
  return typeof status === 'number' ? status : 500;
}
