import { type ResponseStreamEvent, responseErrorEvent, responseSse } from '@memgate/core';
import type { StreamLimits } from '@memgate/runtime';
import type { Response } from 'express';
import { pipeEventStream } from '../sse-response.ts';

/**
 * Pipes a response's typed events as Server-Sent Events (`event:` and `data:` lines). The events end
 * themselves (`response.completed`, `response.failed`); a failure they could not report becomes an
 * `error` event numbered after the last one sent, since the status line is already sent.
 */
export function pipeResponseEvents(
  response: Response,
  events: AsyncGenerator<ResponseStreamEvent>,
  headers: Record<string, string>,
  limits?: StreamLimits,
): Promise<void> {
  let sequence = 0;
  return pipeEventStream(
    response,
    events,
    headers,
    {
      encode(event) {
        sequence = event.sequence_number + 1;
        return responseSse(event);
      },
      failure: (error, requestId) => responseSse(responseErrorEvent(error, sequence, requestId)),
    },
    limits,
  );
}
