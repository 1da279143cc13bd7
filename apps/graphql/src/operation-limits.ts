import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { type GraphQLError, NoSchemaIntrospectionCustomRule, type ParseOptions, parse, type Source } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { validationError } from './graphql-errors.ts';

/**
 * What one GraphQL operation may ask for. The defaults leave ample room for every operation of the
 * README and the GraphiQL introspection query (about 200 tokens, depth and cost not counted), and
 * refuse an alias bomb in its first thousand tokens.
 */
export interface GraphqlLimits {
  /** Lexical tokens (and, separately, comments) of a document; the parser stops at the first one over. */
  maxTokens: number;
  /** Nesting of selection sets (introspection's `__schema` excepted). */
  maxDepth: number;
  /** Aliased fields in an operation, fragments included. */
  maxAliases: number;
  /** Directives in an operation. */
  maxDirectives: number;
  /** GraphQL Armor's static cost (objects 2, scalars 1, × 1.5 per level). */
  maxCost: number;
}

export const DEFAULT_GRAPHQL_LIMITS: GraphqlLimits = {
  maxTokens: 1_000,
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxCost: 5_000,
};

export interface OperationLimitOptions {
  limits?: Partial<GraphqlLimits> | undefined;
  /** MEMGATE_GRAPHQL_INTROSPECTION: false refuses `__schema`/`__type` and hides "Did you mean" hints. */
  introspection?: boolean | undefined;
}

/**
 * graphql-js's own parser limits, applied at parse time so a huge document costs no more than its
 * first `maxTokens` tokens (GraphQL Armor's max-tokens subclasses graphql 16's parser; graphql 17
 * has the limit built in). A document nested past the stack is a syntax error, not a crash.
 */
function parseWithinLimits(maxTokens: number): Plugin {
  const parseLimited = (source: string | Source, options?: ParseOptions) => {
    try {
      return parse(source, { ...options, maxLexicalTokens: maxTokens, maxComments: maxTokens });
    } catch (error) {
      if (error instanceof RangeError) throw createGraphQLError('Syntax Error: The document is nested too deeply.');
      throw error;
    }
  };
  return { onParse: ({ setParseFn }) => setParseFn(parseLimited) };
}

/** Armor's rules report their refusal as a validation error instead of throwing out of `validate`. */
function reportRefusal(context: { reportError(error: GraphQLError): void } | null, error: GraphQLError): void {
  context?.reportError(error);
}

const reported = { propagateOnRejection: false, onReject: [reportRefusal] };

/**
 * Validation errors (GraphQL's rules, the limits below) are bad input like any other: the contract's
 * `BAD_USER_INPUT` with status 422, where yoga alone would answer `GRAPHQL_VALIDATION_FAILED`. Yoga's
 * `http` extension stays, so the HTTP status line follows GraphQL over HTTP (400 for
 * `application/graphql-response+json`, 200 for `application/json`).
 */
function validationErrorsAsBadInput(hideSuggestions: boolean): Plugin {
  const asBadInput = (error: Error) =>
    validationError(error, hideSuggestions ? withoutSuggestion(error.message) : error.message);
  return {
    onValidate:
      () =>
      ({ valid, result, setResult }) => {
        if (!valid) setResult(result.map(asBadInput));
      },
  };
}

/**
 * A message without its "Did you mean …?": GraphQL Armor's block-field-suggestions does the same,
 * but checks `instanceof GraphQLError`, which fails in Node, where it loads graphql's CommonJS build
 * and yoga the ES one.
 */
function withoutSuggestion(message: string): string {
  return message.replace(/ ?Did you mean .+\?$/s, '');
}

/**
 * The yoga plugins that bound what one operation may cost, on HTTP, SSE and graphql-ws alike (the
 * WebSocket server parses and validates through yoga's `getEnveloped`).
 */
export function operationLimitPlugins(options: OperationLimitOptions = {}): Plugin[] {
  const limits = { ...DEFAULT_GRAPHQL_LIMITS, ...options.limits };
  const plugins: Plugin[] = [
    parseWithinLimits(limits.maxTokens),
    maxDepthPlugin({ n: limits.maxDepth, ...reported }),
    maxAliasesPlugin({ n: limits.maxAliases, ...reported }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...reported }),
    costLimitPlugin({ maxCost: limits.maxCost, ...reported }),
  ];
  const introspection = options.introspection ?? true;
  if (!introspection) {
    plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) });
  }
  // Without introspection, "Did you mean …" would spell the schema out field by field.
  plugins.push(validationErrorsAsBadInput(!introspection));
  return plugins;
}
