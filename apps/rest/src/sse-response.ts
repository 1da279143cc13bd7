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

/** How one kind of stream is written as Server-Sent Events. */
export interface SseEncoding<T> {
  /** One event's text (`data: …` lines, with `event:` where the protocol names events). */
  encode(event: T): string;
  /** Written after the last event and after an in-band error (Chat Completions' `[DONE]`); none when absent. */
  done?: string;
  /** The in-band event for a failure after the first event (the status line is already sent). */
  failure(error: MemgateError, requestId: string | undefined): string;
}

/**
 * Pipes events as Server-Sent Events, honouring backpressure and the slow-reader guard, with
 * keep-alive comments between them; an error after the first event goes in-band. The headers
 * leave with the first event, which exists already (the core resolves on it).
 */
export async function pipeEventStream<T>(
  response: Response,
  events: AsyncIterableIterator<T>,
  headers: Record<string, string>,
  encoding: SseEncoding<T>,
  limits?: StreamLimits,
): Promise<void> {
  response.writeHead(200, { ...SSE_HEADERS, ...headers });
  response.socket?.setNoDelay(true);
  const guard = guardSlowReader(response, limits);
  const keepalive = setInterval(() => void writeSse(response, guard, SSE_KEEPALIVE), KEEPALIVE_MS);
  try {
    for await (const event of events) {
      if (!(await writeSse(response, guard, encoding.encode(event)))) return;
    }
    if (encoding.done) await writeSse(response, guard, encoding.done);
  } catch (error) {
    const normalised = MemgateError.fromUnknown(error);
    if (normalised.code === 'INTERNAL_SERVER_ERROR') logInternal(response, error);
    if (!response.destroyed) {
      await writeSse(response, guard, encoding.failure(normalised, requestIdOf(response) || undefined));
      if (encoding.done) await writeSse(response, guard, encoding.done);
    }
  } finally {
    clearInterval(keepalive);
    if (response.destroyed) guard.stop();
    await events.return?.();
    if (!response.writableEnded) response.end();
  }
}

/** Chat Completions chunks: `data: <chunk>`, an in-band `data: {"error": …}`, then `[DONE]`. */
const CHUNK_ENCODING: SseEncoding<ChatCompletionChunk> = {
  encode: sseData,
  done: SSE_DONE,
  failure: (error, requestId) => sseData({ error: { ...toErrorObject(error, requestId), status: error.status } }),
};

/** Pipes chat completion chunks as Server-Sent Events (see `pipeEventStream`). */
export function pipeSse(
  response: Response,
  chunks: AsyncIterableIterator<ChatCompletionChunk>,
  headers: Record<string, string>,
  limits?: StreamLimits,
): Promise<void> {
  return pipeEventStream(response, chunks, headers, CHUNK_ENCODING, limits);
}
