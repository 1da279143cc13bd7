import { findTooDeep, MAX_JSON_DEPTH } from '@memgate/core';
import { type ValueNode, valueFromASTUntyped } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';

/**
 * Refuses a value nested too deeply. A GraphQLError is bad input (see `maskError`); GraphQL names
 * the variable's path in its message, and a literal's error points at it (`locations`).
 */
function checked(value: unknown, node?: ValueNode): unknown {
  if (findTooDeep(value, MAX_JSON_DEPTH)) {
    throw createGraphQLError(`JSON nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays.`, {
      nodes: node,
    });
  }
  return value;
}

/**
 * `scalar JSON`: any JSON value, passed through as is (tool definitions, tool_choice, tool calls),
 * nested at most {@link MAX_JSON_DEPTH} deep. A literal in the document is bounded by the parser's
 * token limit before it gets here, so converting it first is safe.
 * Given to `createSchema` as a config, not a `GraphQLScalarType`, so that the schema never holds
 * a type from a second copy of graphql (see graphql-errors.ts).
 */
export const jsonScalar = {
  serialize: (value: unknown) => value,
  parseValue: (value: unknown) => checked(value),
  parseLiteral: (node: ValueNode, variables?: Record<string, unknown> | null) =>
    checked(valueFromASTUntyped(node, variables), node),
};
