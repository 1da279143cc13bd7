import {
  CORS_EXPOSED_HEADERS,
  CORS_MAX_AGE_SECONDS,
  type CorsOrigins,
  corsAllowedOrigin,
  type Memgate,
} from '@memgate/core';
import type { Observability } from '@memgate/runtime';
import type { DocumentNode } from 'graphql';
import { createLogger, createSchema, createYoga, type Plugin, type YogaLogger } from 'graphql-yoga';
import { graphiqlOptions, renderGraphiqlPage } from './graphiql-page.ts';
import { createContextFactory, type GraphqlContext, type GraphqlServerContext } from './graphql-context.ts';
import { isUnexpectedError, maskError } from './graphql-errors.ts';
import { type OperationLimitOptions, operationLimitPlugins } from './operation-limits.ts';
import { requestBodyLimit } from './request-body-limit.ts';
import { createAgentFileResolvers } from './schema/agent-file-resolvers.ts';
import { createArchivalResolvers } from './schema/archival-resolvers.ts';
import { createBlockEditResolvers } from './schema/block-edit-resolvers.ts';
import { createMcpResolvers } from './schema/mcp-resolvers.ts';
import { createResolvers } from './schema/resolvers.ts';
import { schemaTypeDefs } from './schema/schema-sdl.ts';

/** Yoga's logger, without the error lines for expected errors (a 404 or a 422 is no incident). */
function quietLogger(): YogaLogger {
  const logger = createLogger();
  return { ...logger, error: (...args: unknown[]) => args.some(isUnexpectedError) && logger.error(...args) };
}

/**
 * Yoga's CORS, as REST's: a listed origin gets itself back, any other no CORS headers (a preflight
 * still gets its 204). Keys are bearer headers, never cookies: no credentials.
 */
function corsFor(origins: CorsOrigins) {
  return (request: Request) => {
    const origin = corsAllowedOrigin(origins, request.headers.get('origin'));
    if (origin === null) return false as const;
    return {
      origin: [origin],
      methods: ['GET', 'POST'],
      exposedHeaders: [...CORS_EXPOSED_HEADERS],
      credentials: false,
      maxAge: CORS_MAX_AGE_SECONDS,
    };
  };
}

interface OperationArgs {
  document: DocumentNode;
  operationName?: string | null;
  contextValue: unknown;
}

/** An operation's label for log lines (`mutation createChatCompletion`); null when the document has none. */
export function operationLabel(document: DocumentNode, operationName?: string | null): string | null {
  for (const definition of document.definitions) {
    if (definition.kind !== 'OperationDefinition') continue;
    const name = definition.name?.value;
    if (operationName && name !== operationName) continue;
    return name ? `${definition.operation} ${name}` : definition.operation;
  }
  return null;
}

/** Names the operation on the request's state, for its log line. */
function nameOperation({ args }: { args: OperationArgs }): void {
  const request = (args.contextValue as Partial<GraphqlContext>).request;
  const label = operationLabel(args.document, args.operationName);
  if (request && label) request.operation = label;
}

const operationNaming: Plugin = { onExecute: nameOperation, onSubscribe: nameOperation };

export interface MemgateYogaOptions extends OperationLimitOptions {
  observability: Observability;
  corsOrigins?: CorsOrigins | undefined;
}

/** The yoga instance both transports execute through (HTTP/SSE directly, graphql-ws via `getEnveloped`). */
export function createMemgateYoga(memgate: Memgate, shutdown: AbortSignal, options: MemgateYogaOptions) {
  const { observability } = options;
  return createYoga<GraphqlServerContext, GraphqlContext>({
    schema: createSchema<GraphqlContext>({
      typeDefs: schemaTypeDefs,
      resolvers: [
        createResolvers(memgate, shutdown, observability),
        createMcpResolvers(memgate),
        createArchivalResolvers(memgate),
        createAgentFileResolvers(memgate),
        createBlockEditResolvers(memgate),
      ],
    }),
    plugins: [...operationLimitPlugins(options), operationNaming, requestBodyLimit()],
    // Replaced by `requestBodyLimit`: the same limit, without a stream pipeline for sized bodies.
    maxRequestBodySize: false,
    context: createContextFactory(memgate),
    graphqlEndpoint: '/graphql',
    maskedErrors: { maskError },
    landingPage: false,
    cors: corsFor(options.corsOrigins ?? []),
    // GraphiQL from this server's own files (graphiql-page.ts), never from a CDN.
    graphiql: graphiqlOptions,
    renderGraphiQL: renderGraphiqlPage,
    logging: quietLogger(),
  });
}

/** The yoga instance of the GraphQL app. */
export type MemgateYoga = ReturnType<typeof createMemgateYoga>;
