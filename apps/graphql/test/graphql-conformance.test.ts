import { runProtocolConformance } from '@memgate/testkit';
import { graphqlClient } from './graphql-client.ts';
import { startGraphqlHarness } from './graphql-harness.ts';

runProtocolConformance('GraphQL', async () => {
  const harness = await startGraphqlHarness();
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
