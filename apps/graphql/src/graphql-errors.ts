import { GRAPHQL_CODE_BY_CODE, MemgateError } from '@memgate/core';
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { currentRequest, requestIdOfError } from './request-state.ts';

/** `extensions` of every error memgate's GraphQL API reports. */
export interface MemgateErrorExtensions {
  /** Contract §7: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, UPSTREAM_ERROR, … */
  code: string;
  /** The HTTP status REST answers for the same error. */
  status: number;
  /** Seconds to wait before retrying (rate limits). */
  retryAfter?: number;
  /** Machine-readable detail, REST's `error.code` (e.g. `agent_not_found`). */
  detail?: string;
  /** The request field at fault, REST's `error.param`. */
  param?: string;
  /** The request's id (its `x-request-id`), REST's `error.request_id`. */
  request_id?: string;
}

/**
 * Checked by name, not `instanceof`: tools that load graphql's ESM build next to the CJS build
 * yoga uses (vite, vitest) end up with two GraphQLError classes. Errors are created through yoga's
 * `createGraphQLError` for the same reason, so yoga and graphql-ws recognise them.
 */
function isGraphqlError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

/** The innermost cause of an error GraphQL wrapped (with path and location) around a thrown one. */
function causeOf(error: unknown): unknown {
  let current = error;
  while (isGraphqlError(current) && current.originalError) current = current.originalError;
  return current;
}

function isExposed(error: unknown): boolean {
  if (!isGraphqlError(error)) return false;
  const extensions = error.extensions as Partial<MemgateErrorExtensions>;
  return typeof extensions.code === 'string' && typeof extensions.status === 'number';
}

/** Keeps the location and path of a located error on its replacement. */
function located(error: unknown, message: string, extensions: Record<string, unknown>): GraphQLError {
  const where = isGraphqlError(error) ? error : undefined;
  return createGraphQLError(message, {
    nodes: where?.nodes,
    source: where?.source,
    positions: where?.positions,
    path: where?.path,
    extensions,
  });
}

function memgateExtensions(error: MemgateError): MemgateErrorExtensions {
  const extensions: MemgateErrorExtensions = { code: GRAPHQL_CODE_BY_CODE[error.code], status: error.status };
  if (error.retryAfterSeconds !== undefined) extensions.retryAfter = error.retryAfterSeconds;
  if (error.detailCode) extensions.detail = error.detailCode;
  if (error.param) extensions.param = error.param;
  return extensions;
}

/**
 * A core error reported with more `extensions` than its own (e.g. a CONFLICT's `currentBlock`),
 * shaped as `maskError` shapes it, request id included.
 */
export function errorWithExtensions(error: MemgateError, requestId: string, more: Record<string, unknown>) {
  return createGraphQLError(error.message, {
    originalError: error,
    extensions: { ...memgateExtensions(error), request_id: requestId, ...more },
  });
}

/**
 * Yoga's `maskError`: a MemgateError keeps its message and gets `code`/`status` (and over HTTP an
 * unauthenticated request also gets the 401 status line); GraphQL's own errors (syntax,
 * validation, variables) are bad input; anything else goes through the core's normaliser, which
 * masks it as an internal error (yoga logs the original, see {@link isUnexpectedError}).
 */
export function maskError(error: unknown): GraphQLError {
  if (isExposed(error)) return error as GraphQLError;
  const cause = causeOf(error);
  const requestId = requestIdOfError(cause) ?? requestIdOfError(error);
  const withId = requestId === undefined ? {} : { request_id: requestId };
  if (isGraphqlError(cause)) {
    // 422 as REST answers a malformed body; yoga's own `http` extension still picks the status line.
    // The outer message: GraphQL's wrapper around a scalar's error names the variable or argument.
    const message = (error as GraphQLError).message;
    return located(error, message, { ...cause.extensions, code: 'BAD_USER_INPUT', status: 422, ...withId });
  }
  const normalised = MemgateError.fromUnknown(cause);
  const extensions: Record<string, unknown> = { ...memgateExtensions(normalised), ...withId };
  // Yoga turns `http.status` into the response status and strips it from the body.
  if (normalised.code === 'UNAUTHENTICATED') extensions['http'] = { status: 401 };
  return located(error, normalised.message, extensions);
}

/** True for errors that are bugs: only these deserve a log line (yoga logs every error it masks). */
export function isUnexpectedError(error: unknown): boolean {
  const cause = causeOf(error);
  return !isGraphqlError(cause) && MemgateError.fromUnknown(cause).code === 'INTERNAL_SERVER_ERROR';
}

/**
 * A validation error (GraphQL's rules, the operation limits) as the contract's bad input, copied for
 * the request at hand: yoga caches validation results by document, so an error object may have
 * been answered before, with another request's id.
 */
export function validationError(error: Error, message = error.message): GraphQLError {
  const { request_id: _answeredBefore, ...extensions } = isGraphqlError(error) ? error.extensions : {};
  const requestId = currentRequest()?.requestId;
  return located(error, message, {
    ...extensions,
    code: 'BAD_USER_INPUT',
    status: 422,
    ...(requestId !== undefined && { request_id: requestId }),
  });
}
