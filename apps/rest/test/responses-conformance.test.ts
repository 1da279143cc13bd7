import {
  conformanceTarget,
  runLeaveRaceConformance,
  runProtocolConformance,
  runUpstreamFaultConformance,
} from '@memgate/testkit';
import { leaveByAbort } from './leave-by-abort.ts';
import { responsesBodyOf, responsesClient } from './responses-client.ts';
import { type RestHarness, type RestHarnessOptions, startRestHarness } from './rest-harness.ts';

/** The REST server with the Responses API (`POST /v1/responses`) as the protocol under test. */
async function startResponsesTarget(options: RestHarnessOptions = {}) {
  const harness = await startRestHarness(options);
  return conformanceTarget(harness, async (apiKey) => responsesClient(harness.baseUrl, apiKey));
}

runProtocolConformance('Responses API', () => startResponsesTarget());
runUpstreamFaultConformance('Responses API', startResponsesTarget);

let leaving: RestHarness | undefined;
runLeaveRaceConformance(
  'Responses API SSE (aborted request)',
  async () => {
    leaving = await startRestHarness();
    return conformanceTarget(leaving, async (apiKey) => responsesClient(leaving!.baseUrl, apiKey));
  },
  () =>
    leaveByAbort(leaving!.baseUrl, leaving!.apiKey, {
      path: '/v1/responses',
      body: (body) => responsesBodyOf(body),
      hasText: (text) => text.includes('event: response.output_text.delta'),
    }),
);
