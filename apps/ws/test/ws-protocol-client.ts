import type { CallOptions, ConformanceError, ProtocolClient, StreamOutcome } from '@memgate/testkit';
import { ChannelClient } from './channel-client.ts';

/**
 * The conformance suite's view of the chat channel: each call is one `chat.completion.create`
 * on a shared connection, told apart by `request_id`.
 */
interface ReportedError {
  status: number;
  message: string;
  request_id?: string;
  retry_after?: number;
}

function conformanceError(error: ReportedError): ConformanceError {
  const reported: ConformanceError = { status: error.status, message: error.message };
  if (error.request_id !== undefined) reported.requestId = error.request_id;
  if (error.retry_after !== undefined) reported.retryAfter = error.retry_after;
  return reported;
}

export async function wsProtocolClient(url: string, apiKey: string | null): Promise<ProtocolClient> {
  const client = await ChannelClient.connect(url, { apiKey, skipSession: apiKey === null });
  let counter = 0;
  const run = async (body: Record<string, unknown>, options: CallOptions = {}) => {
    const requestId = `conformance-${++counter}`;
    client.create(requestId, body, options.conversationId);
    return client.outcome(requestId);
  };
  return {
    async complete(body, options) {
      const { terminal } = await run(body, options);
      if (terminal.type === 'chat.completion.done' && terminal.status === 'completed' && terminal.completion) {
        return { ok: true, completion: terminal.completion };
      }
      const error: ReportedError = terminal.error ?? { status: 0, message: `ended ${terminal.type}` };
      return { ok: false, error: conformanceError(error) };
    },
    async stream(body, options): Promise<StreamOutcome> {
      const { chunks, terminal } = await run(body, options);
      if (terminal.type === 'chat.completion.done' && terminal.status === 'completed') return { ok: true, chunks };
      const error: ReportedError = terminal.error ?? { status: 0, message: `ended ${terminal.type}` };
      const reported = conformanceError(error);
      return chunks.length > 0 ? { ok: true, chunks, error: reported } : { ok: false, error: reported };
    },
    close: () => client.close(),
  };
}
