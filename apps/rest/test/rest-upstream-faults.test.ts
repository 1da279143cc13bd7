import { runUpstreamFaultConformance } from '@memgate/testkit';
import { restClient } from './rest-client.ts';
import { startRestHarness } from './rest-harness.ts';

runUpstreamFaultConformance('REST', async (options) => {
  const harness = await startRestHarness(options);
  return {
    baseUrl: harness.baseUrl,
    apiKey: harness.apiKey,
    otherApiKey: harness.otherApiKey,
    readApiKey: harness.readApiKey,
    upstream: harness.upstream,
    client: async (apiKey) => restClient(harness.baseUrl, apiKey),
    close: () => harness.close(),
  };
});
