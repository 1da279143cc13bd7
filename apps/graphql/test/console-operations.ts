import { readFileSync } from 'node:fs';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type TypeNode,
  visit,
} from 'graphql';

/** One operation to run, with the fragments it spreads. */
export interface NamedOperation {
  /** Where it comes from, for failure messages. */
  source: string;
  document: string;
}

/** The operations the console's codegen compiled (apps/console/src/gql/graphql.ts). */
function consoleDocuments(): NamedOperation[] {
  const generated = readFileSync(new URL('../../console/src/gql/graphql.ts', import.meta.url), 'utf8');
  const operations: NamedOperation[] = [];
  for (const match of generated.matchAll(/^export const (\w+)Document = (\{.*\}) as unknown as /gm)) {
    const document = JSON.parse(match[2] ?? '{}') as DocumentNode;
    operations.push({ source: `console ${match[1]}`, document: print(document) });
  }
  return operations;
}

/** Every operation of docs/graphql.md's `graphql` blocks, each with the fragments of its block it spreads. */
function docsOperations(): NamedOperation[] {
  const docs = readFileSync(new URL('../../../docs/graphql.md', import.meta.url), 'utf8');
  const operations: NamedOperation[] = [];
  for (const match of docs.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const block = parse(match[1] ?? '');
    const fragments = block.definitions.filter(
      (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
    );
    for (const definition of block.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const document = { kind: Kind.DOCUMENT, definitions: [definition, ...fragments] } as DocumentNode;
      operations.push({ source: `docs ${definition.name?.value ?? 'anonymous'}`, document: print(document) });
    }
  }
  return operations;
}

/** The console's operations and the reference's: what a GraphQL frontend of memgate sends. */
export function frontendOperations(): NamedOperation[] {
  return [...consoleDocuments(), ...docsOperations()];
}

const typeName = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : typeName(type.type));

/**
 * Values for an operation's variables, by input type, then by name; an unknown required variable
 * throws, so that a new operation gets a value here rather than a silent pass.
 */
export function variablesFor(document: string, values: Record<string, unknown>): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  visit(parse(document), {
    OperationDefinition(operation: OperationDefinitionNode) {
      for (const definition of operation.variableDefinitions ?? []) {
        const name = definition.variable.name.value;
        const type = typeName(definition.type);
        const value = values[type] ?? values[name];
        if (value !== undefined) variables[name] = value;
        else if (definition.type.kind === Kind.NON_NULL_TYPE) {
          throw new Error(`No test value for $${name} (${type}) of ${operation.name?.value ?? 'an operation'}.`);
        }
      }
    },
  });
  return variables;
}
