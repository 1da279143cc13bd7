import type { Memgate } from '@memgate/core';
import type { Observability } from '@memgate/runtime';
import type { DocumentNode } from 'graphql';
import { createLogger, createSchema, createYoga, type Plugin, type YogaLogger } from 'graphql-yoga';
import { createContextFactory, type GraphqlContext, type GraphqlServerContext } from './graphql-context.ts';
import { isUnexpectedError, maskError } from './graphql-errors.ts';
import { createResolvers } from './schema/resolvers.ts';
import { typeDefs } from './schema/type-defs.ts';

/** Yoga's logger, without the error lines for expected errors (a 404 or a 422 is no incident). */
function quietLogger(): YogaLogger {
  const logger = createLogger();
  return { ...logger, error: (...args: unknown[]) => args.some(isUnexpectedError) && logger.error(...args) };
}

interface OperationArgs {
  document: DocumentNode;
  operationName?: string | null;
  contextValue: unknown;
}

/** Names the operation on the request's state, for its log line (`mutation createChatCompletion`). */
function nameOperation({ args }: { args: OperationArgs }): void {
  const request = (args.contextValue as Partial<GraphqlContext>).request;
  if (!request) return;
  for (const definition of args.document.definitions) {
    if (definition.kind !== 'OperationDefinition') continue;
    const name = definition.name?.value;
    if (args.operationName && name !== args.operationName) continue;
    request.operation = name ? `${definition.operation} ${name}` : definition.operation;
    return;
  }
}

const operationNaming: Plugin = { onExecute: nameOperation, onSubscribe: nameOperation };

/** The yoga instance both transports execute through (HTTP/SSE directly, graphql-ws via `getEnveloped`). */
export function createMemgateYoga(memgate: Memgate, shutdown: AbortSignal, observability: Observability) {
  return createYoga<GraphqlServerContext, GraphqlContext>({
    schema: createSchema<GraphqlContext>({ typeDefs, resolvers: createResolvers(memgate, shutdown, observability) }),
    plugins: [operationNaming],
    context: createContextFactory(memgate),
    graphqlEndpoint: '/graphql',
    maskedErrors: { maskError },
    landingPage: false,
    logging: quietLogger(),
  });
}

/** The yoga instance of the GraphQL app. */
export type MemgateYoga = ReturnType<typeof createMemgateYoga>;
