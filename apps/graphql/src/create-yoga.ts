import type { Memgate } from '@memgate/core';
import { createLogger, createSchema, createYoga, type YogaLogger } from 'graphql-yoga';
import { createContextFactory, type GraphqlContext, type GraphqlServerContext } from './graphql-context.ts';
import { isUnexpectedError, maskError } from './graphql-errors.ts';
import { createResolvers } from './schema/resolvers.ts';
import { typeDefs } from './schema/type-defs.ts';

/** Yoga's logger, without the error lines for expected errors (a 404 or a 422 is no incident). */
function quietLogger(): YogaLogger {
  const logger = createLogger();
  return { ...logger, error: (...args: unknown[]) => args.some(isUnexpectedError) && logger.error(...args) };
}

/** The yoga instance both transports execute through (HTTP/SSE directly, graphql-ws via `getEnveloped`). */
export function createMemgateYoga(memgate: Memgate, shutdown: AbortSignal) {
  return createYoga<GraphqlServerContext, GraphqlContext>({
    schema: createSchema<GraphqlContext>({ typeDefs, resolvers: createResolvers(memgate, shutdown) }),
    context: createContextFactory(memgate),
    graphqlEndpoint: '/graphql',
    maskedErrors: { maskError },
    landingPage: false,
    logging: quietLogger(),
  });
}

/** The yoga instance of the GraphQL app. */
export type MemgateYoga = ReturnType<typeof createMemgateYoga>;
