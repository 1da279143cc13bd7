import { printSchema } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { consoleTypeDefs } from './console-type-defs.ts';
import { mcpTypeDefs } from './mcp-type-defs.ts';
import { typeDefs } from './type-defs.ts';

/** Every part of the schema's SDL, in the order the executable schema is assembled from them. */
export const schemaTypeDefs = [typeDefs, mcpTypeDefs, consoleTypeDefs];

/**
 * The executable schema's SDL as published in apps/graphql/schema.graphql, which GraphQL frontends
 * (the console's codegen) type their operations from. Resolvers add nothing to the SDL.
 */
export function printSchemaSdl(): string {
  return `${printSchema(createSchema({ typeDefs: schemaTypeDefs }))}\n`;
}
