import { runUpstreamFaultConformance } from '@memgate/testkit';
import { startWsHarness } from './ws-harness.ts';
import { wsProtocolClient } from './ws-protocol-client.ts';

runUpstreamFaultConformance('WebSocket', async (options) => {
  const harness = await startWsHarness({}, options);
  return {
    baseUrl: harness.baseUrl,
    apiKey: harness.apiKey,
    otherApiKey: harness.otherApiKey,
    readApiKey: harness.readApiKey,
    upstream: harness.upstream,
    client: (apiKey) => wsProtocolClient(harness.wsUrl, apiKey),
    close: () => harness.close(),
  };
});
