import type { CombinedError } from '@urql/core';

/** An error as the console shows it: the server's message and the request id to quote. */
export interface ShownError {
  message: string;
  code: string | null;
  requestId: string | null;
  /** The key was refused (HTTP 401 / UNAUTHENTICATED). */
  unauthorized: boolean;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Reads the first GraphQL error (extensions.code, extensions.request_id) or the network failure. */
export function shownError(error: CombinedError): ShownError {
  const first = error.graphQLErrors[0];
  const response = error.response as Response | undefined;
  const status = response?.status;
  const requestId = text(first?.extensions?.['request_id']) ?? text(response?.headers?.get?.('x-request-id'));
  const code = text(first?.extensions?.['code']);
  const unauthorized = status === 401 || code === 'UNAUTHENTICATED' || code === 'UNAUTHORIZED';
  const message = first?.message ?? error.networkError?.message ?? error.message;
  return { message, code, requestId, unauthorized };
}
