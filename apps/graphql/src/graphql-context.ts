import type { Memgate, Principal } from '@memgate/core';
import { acceptRequestId } from '@memgate/core';
import type { YogaInitialContext } from 'graphql-yoga';
import { currentRequest, type GraphqlRequestState } from './request-state.ts';

/** What graphql-ws puts into yoga's server context; HTTP requests carry neither. */
export interface GraphqlServerContext {
  /** The connection's caller, authenticated at `connection_init`. */
  principal?: Principal;
  /** Aborts when the connection closes. */
  connectionSignal?: AbortSignal;
  /** The connection's request state (graphql-ws); HTTP requests find theirs in the async context. */
  requestState?: GraphqlRequestState;
}

/** The context every resolver gets. */
export interface GraphqlContext {
  principal: Principal;
  /** Aborts when the client goes away (HTTP request or WebSocket closed): its work stops. */
  signal: AbortSignal | undefined;
  /** The request's id and what its log line reports (the resolvers fill in the agent). */
  request: GraphqlRequestState;
}

/**
 * Yoga's context factory: over HTTP (and SSE) the caller is the `Authorization` header's key; a
 * missing or unknown key throws the core's 401, which yoga reports as the operation's error.
 */
export function createContextFactory(memgate: Memgate) {
  return async (initial: YogaInitialContext & GraphqlServerContext): Promise<GraphqlContext> => {
    const request = initial.requestState ?? currentRequest() ?? freshState(initial.request.headers.get('x-request-id'));
    if (initial.principal) {
      request.userId = initial.principal.userId;
      return { principal: initial.principal, signal: initial.connectionSignal, request };
    }
    const principal = await memgate.admin.authenticate(initial.request.headers.get('authorization'));
    request.userId = principal.userId;
    return { principal, signal: initial.request.signal, request };
  };
}

/** A request yoga serves outside the Koa app (e.g. `yoga.fetch` in tests). */
function freshState(inbound: string | null): GraphqlRequestState {
  return { requestId: acceptRequestId(inbound), userId: null, agentId: null, operation: null };
}
