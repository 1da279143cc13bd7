import {
  MemgateError,
  type ResponseStreamEvent,
  responseErrorEvent,
  responseSse,
  SSE_HEADERS,
  SSE_KEEPALIVE,
} from '@memgate/core';
import { guardSlowReader, type SlowReaderGuard, type StreamLimits } from '@memgate/runtime';
import type { Response } from 'express';
import { logInternal } from '../error-response.ts';
import { requestIdOf } from '../request-logging.ts';
import { writeSse } from '../sse-response.ts';

const KEEPALIVE_MS = 15_000;

/**
 * Pipes a response's typed events as Server-Sent Events (`event:` and `data:` lines). The events end
 * themselves (`response.completed`, `response.failed`); a failure they could not report becomes an
 * `error` event, since the status line is already sent.
 */
export async function pipeResponseEvents(
  response: Response,
  events: AsyncGenerator<ResponseStreamEvent>,
  headers: Record<string, string>,
  limits?: StreamLimits,
): Promise<void> {
  response.writeHead(200, { ...SSE_HEADERS, ...headers });
  response.socket?.setNoDelay(true);
  const guard = guardSlowReader(response, limits);
  const keepalive = setInterval(() => void writeSse(response, guard, SSE_KEEPALIVE), KEEPALIVE_MS);
  let sequence = 0;
  try {
    for await (const event of events) {
      sequence = event.sequence_number + 1;
      if (!(await writeSse(response, guard, responseSse(event)))) return;
    }
  } catch (error) {
    if (MemgateError.fromUnknown(error).code === 'INTERNAL_SERVER_ERROR') logInternal(response, error);
    if (!response.destroyed)
      await writeSse(
        response,
        guard,
        responseSse(responseErrorEvent(error, sequence, requestIdOf(response) || undefined)),
      );
  } finally {
    clearInterval(keepalive);
    if (response.destroyed) guard.stop();
    await events.return(undefined);
    if (!response.writableEnded) response.end();
  }
}
