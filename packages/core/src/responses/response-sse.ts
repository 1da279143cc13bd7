import { MemgateError, toErrorObject } from '../errors/memgate-error.ts';
import type { ResponseStreamEvent } from './response-events.ts';

/** One Responses API event as Server-Sent Events: `event: <type>` and its JSON (no `[DONE]` ends them). */
export function responseSse(event: ResponseStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The `error` event for a failure the response's own events could not report. */
export function responseErrorEvent(error: unknown, sequenceNumber: number, requestId?: string): ResponseStreamEvent {
  const normalised = MemgateError.fromUnknown(error);
  const object = toErrorObject(normalised, requestId);
  return {
    type: 'error',
    sequence_number: sequenceNumber,
    code: object.code ?? null,
    message: object.message,
    param: object.param ?? null,
  };
}
