import { Client, cacheExchange, type ExecutionResult, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

/** What the live connection (graphql-ws) is doing, for the status line. */
export type LinkState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

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

function closeCode(event: unknown): number | null {
  return typeof event === 'object' && event !== null && typeof (event as { code?: unknown }).code === 'number'
    ? (event as { code: number }).code
    : null;
}

/** What urql's subscriptionExchange hands to forwardSubscription. */
interface ResultSink {
  next(value: ExecutionResult): void;
  error(error: unknown): void;
  complete(): void;
}

/**
 * graphql-ws gives up for good on some close codes (1011 and 4500, a server error; 1002…). A
 * subscription marked `restartable` in its urql context (one that only watches, as `agentEvents`:
 * never a chat turn, which would run twice) is started again after a backoff when the socket ended
 * it that way, so a server restarting or failing for a moment does not end the console's live view.
 * A refused key (4401) and a GraphQL error of the operation itself (not a close) still end it.
 */
function resubscribing(
  ws: WsClient,
  input: Parameters<WsClient['subscribe']>[0],
  sink: ResultSink,
  restartable: boolean,
) {
  let stopped = false;
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe = () => {};
  const start = () => {
    unsubscribe = ws.subscribe<Record<string, unknown>>(input, {
      next: (value) => {
        attempts = 0;
        sink.next(value as ExecutionResult);
      },
      complete: () => sink.complete(),
      error: (error) => {
        const code = closeCode(error);
        if (stopped || !restartable || code === null || code === UNAUTHORIZED_CLOSE_CODE) return sink.error(error);
        timer = setTimeout(start, backoffMs(attempts++));
      },
    });
  };
  start();
  return {
    unsubscribe() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
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
  // Subscriptions the console has open: a clean close (1000) with none is the lazy socket going idle.
  let open = 0;
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
        const code = closeCode(event);
        if (code === UNAUTHORIZED_CLOSE_CODE) onLinkState('unauthorized');
        else if (code === 1000 && open === 0) onLinkState('idle');
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
        forwardSubscription(request, operation) {
          const input = { ...request, query: request.query ?? '' };
          const restartable = operation.context['restartable'] === true;
          return {
            subscribe(sink) {
              open += 1;
              let counted = true;
              const done = () => {
                if (counted) open -= 1;
                counted = false;
              };
              const ended: ResultSink = {
                next: (value) => sink.next(value),
                error: (error) => {
                  done();
                  sink.error(error);
                },
                complete: () => {
                  done();
                  sink.complete();
                },
              };
              const subscription = resubscribing(ws, input, ended, restartable);
              return {
                unsubscribe() {
                  done();
                  subscription.unsubscribe();
                },
              };
            },
          };
        },
      }),
    ],
  });
  return { urql, ws, dispose: () => void ws.dispose() };
}
