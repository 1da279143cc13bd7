import {
  type ChatCompletionChunk,
  MemgateError,
  SSE_DONE,
  SSE_HEADERS,
  SSE_KEEPALIVE,
  sseData,
  toErrorObject,
} from '@memgate/core';
import { guardSlowReader, type SlowReaderGuard, type StreamLimits } from '@memgate/runtime';
import type { Response } from 'express';
import { logInternal } from './error-response.ts';
import { requestIdOf } from './request-logging.ts';

const KEEPALIVE_MS = 15_000;

/**
 * Writes, honouring backpressure; false when the client went away, or was cut off for not reading
 * (the guard destroys the response, whose `close` ends the wait for `drain`).
 */
export async function writeSse(response: Response, guard: SlowReaderGuard, text: string): Promise<boolean> {
  if (response.destroyed || response.writableEnded) return false;
  const flushed = response.write(text);
  if (!guard.check()) return false;
  if (flushed) return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      response.off('drain', onDrain);
      response.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    response.on('drain', onDrain);
    response.on('close', onClose);
  });
}

/**
 * Pipes chunks as Server-Sent Events; an error after the first chunk goes in-band
 * (`data: {"error": …}`) before `[DONE]`, since the status line is already sent.
 */
export async function pipeSse(
  response: Response,
  chunks: AsyncIterableIterator<ChatCompletionChunk>,
  headers: Record<string, string>,
  limits?: StreamLimits,
): Promise<void> {
  // The headers leave with the first chunk, which exists already (the dispatcher resolves on it).
  response.writeHead(200, { ...SSE_HEADERS, ...headers });
  response.socket?.setNoDelay(true);
  const guard = guardSlowReader(response, limits);
  const keepalive = setInterval(() => void writeSse(response, guard, SSE_KEEPALIVE), KEEPALIVE_MS);
  try {
    for await (const chunk of chunks) {
      if (!(await writeSse(response, guard, sseData(chunk)))) return;
    }
    await writeSse(response, guard, SSE_DONE);
  } catch (error) {
    const normalised = MemgateError.fromUnknown(error);
    if (normalised.code === 'INTERNAL_SERVER_ERROR') logInternal(response, error);
    if (!response.destroyed) {
      const object = toErrorObject(normalised, requestIdOf(response) || undefined);
      await writeSse(response, guard, sseData({ error: { ...object, status: normalised.status } }));
      await writeSse(response, guard, SSE_DONE);
    }
  } finally {
    clearInterval(keepalive);
    if (response.destroyed) guard.stop();
    await chunks.return?.();
    if (!response.writableEnded) response.end();
  }
}
