import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestContext } from '@memgate/core';

/** One GraphQL request (HTTP, SSE) or graphql-ws connection: its id, and what its log line reports. */
export interface GraphqlRequestState {
  requestId: string;
  carrier?: RequestContext['carrier'];
  userId: string | null;
  agentId: string | null;
  /** `query agents`, `mutation createChatCompletion`… for the log line (not a metric label). */
  operation: string | null;
}

const storage = new AsyncLocalStorage<GraphqlRequestState>();
/** Errors raised outside the request's async context (a stream's later failure) keep its id here. */
const errorRequestIds = new WeakMap<object, string>();

/** Runs `work` as part of the request: `maskError` finds the request id for `extensions`. */
export function runInRequest<T>(state: GraphqlRequestState, work: () => T): T {
  return storage.run(state, work);
}

export function currentRequest(): GraphqlRequestState | undefined {
  return storage.getStore();
}

/** Marks an error as the request's, wherever it is masked later. */
export function tagError<T>(error: T, requestId: string): T {
  if (typeof error === 'object' && error !== null) errorRequestIds.set(error, requestId);
  return error;
}

export function requestIdOfError(error: unknown): string | undefined {
  return (typeof error === 'object' && error !== null && errorRequestIds.get(error)) || currentRequest()?.requestId;
}

/** The core's view of the request. */
export function coreContext(state: GraphqlRequestState): RequestContext {
  return { requestId: state.requestId, protocol: 'graphql', ...(state.carrier && { carrier: state.carrier }) };
}
