import { type ValueNode, valueFromASTUntyped } from 'graphql';

/**
 * `scalar JSON`: any JSON value, passed through as is (tool definitions, tool_choice, tool calls).
 * Given to `createSchema` as a config, not a `GraphQLScalarType`, so that the schema never holds
 * a type from a second copy of graphql (see graphql-errors.ts).
 */
export const jsonScalar = {
  serialize: (value: unknown) => value,
  parseValue: (value: unknown) => value,
  parseLiteral: (node: ValueNode, variables?: Record<string, unknown> | null) => valueFromASTUntyped(node, variables),
};
