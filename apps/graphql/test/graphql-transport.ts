import { type Client, createClient, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** A GraphQL error as a client reads it. */
export interface ResultError {
  message: string;
  extensions?: Record<string, unknown>;
}

export interface GraphqlResponse<Data> {
  /** The HTTP status line. */
  httpStatus: number;
  data?: Data | null;
  errors?: ResultError[];
}

/** One GraphQL operation over HTTP (POST, JSON). */
export async function postGraphql<Data>(
  url: string,
  apiKey: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphqlResponse<Data>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (apiKey) headers['authorization'] = `Bearer ${apiKey}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as FormattedExecutionResult<Data>;
  return { httpStatus: response.status, data: body.data, errors: body.errors as ResultError[] | undefined };
}

/**
 * A real graphql-ws client over `ws`, sending the key in `connection_init`. Lazy clients connect on
 * the first subscription and close when none is left; eager ones hold the connection until disposed.
 */
export function wsClient(
  url: string,
  apiKey: string | null,
  options: { lazy?: boolean /** Headers of the upgrade request. */; headers?: Record<string, string> } = {},
): Client {
  const { headers } = options;
  return createClient({
    url,
    webSocketImpl: headers
      ? class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers });
          }
        }
      : WebSocket,
    connectionParams: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    retryAttempts: 0,
    lazy: options.lazy ?? true,
    // Tests assert on closes themselves; the default handler logs every close of an eager client.
    onNonLazyError: () => {},
  });
}

/** What a subscription delivered: every `next` payload, and how it ended. */
export interface SubscriptionRecord<Data> {
  results: FormattedExecutionResult<Data, unknown>[];
  /** The `error` message's errors, or the close event when the socket closed. */
  failure?: ResultError[] | { code: number; reason: string };
}

/** Runs a subscription to its end and records it. */
export function collect<Data>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): Promise<SubscriptionRecord<Data>> {
  return new Promise((resolve) => {
    const record: SubscriptionRecord<Data> = { results: [] };
    client.subscribe<Data>(
      { query, variables },
      {
        next: (result) => void record.results.push(result),
        error: (error) => {
          record.failure = Array.isArray(error) ? (error as ResultError[]) : closeOf(error);
          resolve(record);
        },
        complete: () => resolve(record),
      },
    );
  });
}

function closeOf(error: unknown): { code: number; reason: string } {
  const event = error as { code?: number; reason?: string };
  if (typeof event.code !== 'number') throw error;
  return { code: event.code, reason: event.reason ?? '' };
}
