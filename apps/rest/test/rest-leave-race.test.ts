import { runLeaveRaceConformance } from '@memgate/testkit';
import { leaveByAbort } from './leave-by-abort.ts';
import { restClient } from './rest-client.ts';
import { startRestHarness } from './rest-harness.ts';

let target: { baseUrl: string; apiKey: string } | undefined;
runLeaveRaceConformance(
  'REST SSE (aborted request)',
  async () => {
    const harness = await startRestHarness();
    target = harness;
    return {
      ...harness,
      client: async (apiKey) => restClient(harness.baseUrl, apiKey),
      close: () => harness.close(),
    };
  },
  () => leaveByAbort(target!.baseUrl, target!.apiKey),
);
