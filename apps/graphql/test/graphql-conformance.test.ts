import { runProtocolConformance } from '@memgate/testkit';
import { startGraphqlTarget } from './graphql-harness.ts';

runProtocolConformance('GraphQL', () => startGraphqlTarget());
