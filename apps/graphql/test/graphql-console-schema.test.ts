import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLField, type GraphQLObjectType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSchemaSdl } from '../src/schema/schema-sdl.ts';

const PUBLISHED = new URL('../schema.graphql', import.meta.url);

/**
 * The console's additions as they were planned (the seed the console's operations were written
 * against): published fields may grow arguments, never change a name or a type.
 */
const PLANNED = /* GraphQL */ `
  type ArchivalPassage { id: ID!, object: String!, content: String!, embeddingModel: String, createdAt: String! }
  type ArchivalSearch { query: String!, searchMode: String!, total: Int!, page: Int!, pages: Int!, pageSize: Int!, data: [ArchivalPassage!]! }
  type MessageSearch { query: String!, searchMode: String!, total: Int!, page: Int!, pages: Int!, pageSize: Int!, data: [AgentMessage!]! }
  type ContextTokens { system: Int!, tools: Int!, memory: Int!, summary: Int!, messages: Int!, total: Int! }
  type ContextThresholds { memoryPressure: Int!, summarise: Int! }
  type AgentContext { object: String!, agentId: ID!, contextWindow: Int!, tokens: ContextTokens!, messagesInContext: Int!, summarisedMessages: Int!, summary: String, thresholds: ContextThresholds! }
  type Model { id: ID!, object: String!, created: Float!, ownedBy: String!, name: String, provider: String, contextWindow: Int, supportsTools: Boolean, supportsVision: Boolean }
  type AgentImport { agent: Agent!, warnings: [String!]! }
  type AgentMessage { id: ID! }
  type Agent { id: ID! }
  scalar JSON
  type Query {
    archivalPassages(agentId: ID!, limit: Int, before: ID): [ArchivalPassage!]!
    searchArchival(agentId: ID!, query: String!, page: Int, limit: Int): ArchivalSearch!
    searchMessages(agentId: ID!, query: String!, conversationId: ID, page: Int, limit: Int): MessageSearch!
    agentContext(agentId: ID!): AgentContext
    models: [Model!]!
    exportAgent(id: ID!): JSON!
  }
  type Mutation {
    insertArchivalPassage(agentId: ID!, content: String!): ArchivalPassage!
    deleteArchivalPassage(agentId: ID!, id: ID!): Boolean!
    importAgent(file: JSON!): AgentImport!
  }
`;

const PLANNED_TYPES = ['ArchivalPassage', 'ArchivalSearch', 'MessageSearch', 'ContextTokens', 'ContextThresholds'];
const MORE_PLANNED_TYPES = ['AgentContext', 'Model', 'AgentImport', 'Query', 'Mutation'];

/** `name(arg: Type, …): Type` of a field, to compare a planned field with the published one. */
function signature(field: GraphQLField<unknown, unknown>): string {
  return `${field.name}(${field.args.map((arg) => `${arg.name}: ${arg.type}`).join(', ')}): ${field.type}`;
}

describe('the published SDL (apps/graphql/schema.graphql)', () => {
  it('is the executable schema, printed: run `pnpm --filter @memgate/graphql gen:schema` after a change', () => {
    const published = readFileSync(PUBLISHED, 'utf8');
    expect(published).toBe(printSchemaSdl());
    expect(published).not.toMatch(/SEED/);
  });

  it('has every query, mutation and subscription in the reference (docs/graphql.md)', () => {
    const docs = readFileSync(new URL('../../../docs/graphql.md', import.meta.url), 'utf8');
    const published = buildSchema(readFileSync(PUBLISHED, 'utf8'));
    for (const root of ['Query', 'Mutation', 'Subscription']) {
      for (const name of Object.keys((published.getType(root) as GraphQLObjectType).getFields())) {
        expect(docs, `${root}.${name}`).toMatch(new RegExp(`\`${name}[\`(]`));
      }
    }
  });

  it('keeps every planned console field, with its type and arguments', () => {
    const published = buildSchema(readFileSync(PUBLISHED, 'utf8'));
    const planned = buildSchema(PLANNED);
    for (const name of [...PLANNED_TYPES, ...MORE_PLANNED_TYPES]) {
      const plannedType = planned.getType(name) as GraphQLObjectType;
      const publishedType = published.getType(name);
      expect(isObjectType(publishedType), name).toBe(true);
      const fields = (publishedType as GraphQLObjectType).getFields();
      for (const field of Object.values(plannedType.getFields())) {
        const actual = fields[field.name];
        expect(actual, `${name}.${field.name}`).toBeDefined();
        expect(String(actual!.type), `${name}.${field.name}`).toBe(String(field.type));
        // Added arguments are optional; planned ones keep their types.
        const args = new Map(actual!.args.map((arg) => [arg.name, String(arg.type)]));
        for (const arg of field.args) expect(args.get(arg.name), signature(field)).toBe(String(arg.type));
        for (const arg of actual!.args) {
          if (!field.args.some((plannedArg) => plannedArg.name === arg.name)) {
            expect(String(arg.type).endsWith('!'), `${signature(actual!)}: ${arg.name}`).toBe(false);
          }
        }
      }
    }
  });
});
