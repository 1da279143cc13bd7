import { type ErrorCode, MemgateError, toErrorBody } from '@memgate/core';
import type { ErrorRequestHandler, Response } from 'express';
import { requestIdOf, requestLogOf } from './request-logging.ts';

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
  const log = requestLogOf(response.req);
  if (log) log.error({ err: error }, 'internal error');
  else console.error('memgate: internal error', error);
}

interface HttpLibraryError {
  type?: string;
  status?: number;
  statusCode?: number;
  limit?: number;
  code?: string;
}

/** Core codes for the 4xx statuses Express and body-parser use; any other 4xx is a bad request. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
};

function statusOf(error: HttpLibraryError): number | null {
  const status = error.status ?? error.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}

/**
 * A library's client error (body-parser, the router's URI decoding, decompression) as a
 * MemgateError with the status it carries, and a message that says what was wrong with the
 * request. Errors without a 4xx status are not client errors: null (they stay masked 500s).
 */
function libraryError(error: unknown): MemgateError | null {
  if (typeof error !== 'object' || error === null || error instanceof MemgateError) return null;
  const libraryError = error as HttpLibraryError;
  const status = statusOf(libraryError);
  if (status === null) return null;
  const cause = { cause: error };
  switch (libraryError.type) {
    case 'entity.too.large':
      return new MemgateError('PAYLOAD_TOO_LARGE', `Request body is larger than ${libraryError.limit} bytes.`, {
        detailCode: 'payload_too_large',
        ...cause,
      });
    case 'entity.parse.failed':
      // The seed answers a malformed body like a failed validation (FastAPI's 422 json_invalid).
      return new MemgateError('BAD_USER_INPUT', 'The request body is not valid JSON.', {
        validation: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }],
        detailCode: 'invalid_json',
        ...cause,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new MemgateError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Unsupported request body encoding: ${(error as Error).message}.`,
        {
          detailCode: 'invalid_encoding',
          ...cause,
        },
      );
    case 'request.aborted':
      return new MemgateError('BAD_REQUEST', 'The request was aborted before its body was read.', {
        detailCode: 'request_aborted',
        ...cause,
      });
  }
  if (error instanceof URIError) {
    return new MemgateError('BAD_REQUEST', 'The request path holds malformed percent-encoding.', {
      detailCode: 'invalid_path',
      ...cause,
    });
  }
  if (isDecompressionError(libraryError)) {
    return new MemgateError(
      'BAD_REQUEST',
      'The request body could not be decompressed as its Content-Encoding header says.',
      { detailCode: 'invalid_encoding', ...cause },
    );
  }
  return new MemgateError(CODE_BY_STATUS[status] ?? 'BAD_REQUEST', 'The request could not be read.', {
    detailCode: 'bad_request',
    ...cause,
  });
}

/** zlib's errors (gzip, deflate: `Z_DATA_ERROR`…; brotli: `ERR__ERROR_FORMAT_…`). */
function isDecompressionError(error: HttpLibraryError): boolean {
  return typeof error.code === 'string' && (error.code.startsWith('Z_') || error.code.startsWith('ERR__'));
}

/** Express's last error handler: every failure leaves in the contract's shape. */
export const errorHandler: ErrorRequestHandler = (error, _request, response, _next) => {
  sendError(response, libraryError(error) ?? error);
};
