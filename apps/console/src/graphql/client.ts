import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

/** What the live connection (graphql-ws) is doing, for the status line. */
export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

/** graphql-ws closes with this code when the key is refused (apps/graphql ws-server). */
const UNAUTHORIZED_CLOSE_CODE = 4401;

export interface ConsoleClient {
  urql: Client;
  ws: WsClient;
  dispose(): void;
}

export interface ConsoleClientOptions {
  apiKey: string;
  onLinkState(state: LinkState): void;
}

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 15 s. */
export function backoffMs(retries: number): number {
  const base = Math.min(15_000, 500 * 2 ** retries);
  return base / 2 + Math.random() * (base / 2);
}

/**
 * One urql client: queries and mutations over HTTP, subscriptions (chat streams, agent events)
 * over graphql-ws at the same path. A dropped socket is retried with backoff forever (except a
 * refused key); graphql-ws then re-sends every live subscription.
 */
export function createConsoleClient({ apiKey, onLinkState }: ConsoleClientOptions): ConsoleClient {
  const authorization = `Bearer ${apiKey}`;
  const wsUrl = new URL('/graphql', window.location.href);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  let everConnected = false;
  const ws = createWsClient({
    url: wsUrl.href,
    connectionParams: { authorization },
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (event) => !(event instanceof CloseEvent && event.code === UNAUTHORIZED_CLOSE_CODE),
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
    on: {
      connecting: () => onLinkState(everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        everConnected = true;
        onLinkState('connected');
      },
      closed: (event) => {
        if (event instanceof CloseEvent && event.code === UNAUTHORIZED_CLOSE_CODE) onLinkState('unauthorized');
        else if (everConnected) onLinkState('reconnecting');
      },
    },
  });
  const urql = new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { authorization } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { urql, ws, dispose: () => void ws.dispose() };
}
