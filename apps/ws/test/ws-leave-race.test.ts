import { type LeavableStream, runLeaveRaceConformance } from '@memgate/testkit';
import { ChannelClient } from './channel-client.ts';
import { startWsHarness } from './ws-harness.ts';
import { wsProtocolClient } from './ws-protocol-client.ts';

/** Leaves a `chat.completion.create` with a `chat.completion.cancel` frame once text arrived. */
function leaveByCancel(client: ChannelClient): LeavableStream {
  let requests = 0;
  return async (body, until) => {
    const requestId = `race-${++requests}`;
    client.create(requestId, body);
    const cancel = () => client.send({ type: 'chat.completion.cancel', request_id: requestId });
    if (until === 'sent') return cancel;
    const first = await client.next(
      (frame) =>
        'request_id' in frame &&
        frame.request_id === requestId &&
        (frame.type !== 'chat.completion.chunk' || !!frame.chunk.choices[0]?.delta.content),
    );
    if (first.type !== 'chat.completion.chunk')
      throw new Error(`ended before its first text: ${JSON.stringify(first)}`);
    return cancel;
  };
}

let channel: ChannelClient | undefined;
runLeaveRaceConformance(
  'WebSocket chat channel (cancel frame)',
  async () => {
    const harness = await startWsHarness();
    const client = await ChannelClient.connect(harness.wsUrl, { apiKey: harness.apiKey });
    channel = client;
    return {
      ...harness,
      client: (apiKey) => wsProtocolClient(harness.wsUrl, apiKey),
      async close() {
        await client.close();
        await harness.close();
      },
    };
  },
  () => leaveByCancel(channel!),
);
