import { runUpstreamFaultConformance } from '@memgate/testkit';
import { startGraphqlTarget } from './graphql-harness.ts';

runUpstreamFaultConformance('GraphQL', startGraphqlTarget);
