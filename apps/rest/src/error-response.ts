import { MemgateError, toErrorBody } from '@memgate/core';
import type { ErrorRequestHandler, Response } from 'express';
import { requestIdOf } from './request-logging.ts';

/** Sends a MemgateError as the contract's REST error (status, `Retry-After`, `{ detail, error }`). */
export function sendError(response: Response, error: unknown): void {
  const normalised = MemgateError.fromUnknown(error);
  if (normalised.code === 'INTERNAL_SERVER_ERROR') logInternal(response, error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (normalised.retryAfterSeconds !== undefined)
    response.setHeader('retry-after', String(normalised.retryAfterSeconds));
  response.status(normalised.status).json(toErrorBody(normalised, requestIdOf(response) || undefined));
}

/** A bug: logged with the request's id on the request's logger. */
export function logInternal(response: Response, error: unknown): void {
  const log = (response.req as { log?: { error(object: object, message: string): void } }).log;
  if (log) log.error({ err: error }, 'internal error');
  else console.error('memgate: internal error', error);
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

function bodyParserError(error: unknown): MemgateError | null {
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  const parserError = error as BodyParserError;
  if (parserError.type === 'entity.too.large') {
    return new MemgateError('PAYLOAD_TOO_LARGE', `Request body is larger than ${parserError.limit} bytes.`, {
      detailCode: 'payload_too_large',
    });
  }
  if (parserError.type === 'entity.parse.failed') {
    return new MemgateError('BAD_USER_INPUT', 'The request body is not valid JSON.', {
      validation: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }],
      detailCode: 'invalid_json',
    });
  }
  if (parserError.type === 'encoding.unsupported' || parserError.type === 'charset.unsupported') {
    return new MemgateError('BAD_USER_INPUT', 'Unsupported request body encoding.', { detailCode: 'invalid_encoding' });
  }
  return null;
}

/** Express's last error handler: every failure leaves in the contract's shape. */
export const errorHandler: ErrorRequestHandler = (error, _request, response, _next) => {
  sendError(response, bodyParserError(error) ?? error);
};
