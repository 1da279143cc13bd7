import { runUpstreamFaultConformance } from '@memgate/testkit';
import { graphqlClient } from './graphql-client.ts';
import { startGraphqlHarness } from './graphql-harness.ts';

runUpstreamFaultConformance('GraphQL', async (options) => {
  const harness = await startGraphqlHarness(options);
  return {
    baseUrl: harness.baseUrl,
    apiKey: harness.apiKey,
    otherApiKey: harness.otherApiKey,
    readApiKey: harness.readApiKey,
    upstream: harness.upstream,
    client: async (apiKey) => graphqlClient(harness, apiKey),
    close: () => harness.close(),
  };
});
