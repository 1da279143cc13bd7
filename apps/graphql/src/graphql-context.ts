import type { Memgate, Principal } from '@memgate/core';
import type { YogaInitialContext } from 'graphql-yoga';

/** What graphql-ws puts into yoga's server context; HTTP requests carry neither. */
export interface GraphqlServerContext {
  /** The connection's caller, authenticated at `connection_init`. */
  principal?: Principal;
  /** Aborts when the connection closes. */
  connectionSignal?: AbortSignal;
}

/** The context every resolver gets. */
export interface GraphqlContext {
  principal: Principal;
  /** Aborts when the client goes away (HTTP request or WebSocket closed): its work stops. */
  signal: AbortSignal | undefined;
}

/**
 * Yoga's context factory: over HTTP (and SSE) the caller is the `Authorization` header's key; a
 * missing or unknown key throws the core's 401, which yoga reports as the operation's error.
 */
export function createContextFactory(memgate: Memgate) {
  return async (initial: YogaInitialContext & GraphqlServerContext): Promise<GraphqlContext> => {
    if (initial.principal) return { principal: initial.principal, signal: initial.connectionSignal };
    const principal = await memgate.admin.authenticate(initial.request.headers.get('authorization'));
    return { principal, signal: initial.request.signal };
  };
}
