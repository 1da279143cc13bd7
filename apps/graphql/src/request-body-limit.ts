import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Yoga's own default `maxRequestBodySize`. */
export const YOGA_MAX_REQUEST_BODY_BYTES = 25_000_000;

// Only a single non-negative integer is a valid Content-Length (as yoga checks it).
const CONTENT_LENGTH_RE = /^\d+$/;

function bodyTooLarge() {
  return createGraphQLError('Request body too large', {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' },
  });
}

function invalidContentLength() {
  return createGraphQLError('Content-Length header is invalid.', {
    extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
  });
}

/**
 * Yoga's request body limit (`maxRequestBodySize`), with the same checks and errors, minus its cost
 * where it buys nothing: yoga pipes every body through a counting TransformStream, which on each
 * request builds a stream pipeline and a second Request before the operation can even be parsed.
 * A body with a valid Content-Length is held to that length by Node's HTTP parser, and the length
 * is checked against the limit up front, so only a body without one (yoga served outside the Koa
 * app, which refuses those with 411) is still counted as it streams in.
 * Registered last among our plugins, where yoga's own sits: after every request parser.
 */
export function requestBodyLimit(limit: number = YOGA_MAX_REQUEST_BODY_BYTES): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength != null) {
        if (!CONTENT_LENGTH_RE.test(contentLength)) throw invalidContentLength();
        if (Number(contentLength) > limit) throw bodyTooLarge();
        return;
      }
      if (requestParser == null || request.body == null) return;
      const parse = requestParser;
      setRequestParser((unsized) => parse(countedBody(unsized, limit, fetchAPI)));
    },
  };
}

type FetchApi = Parameters<NonNullable<Plugin['onRequestParse']>>[0]['fetchAPI'];

/** The request with a body that errors once more than `limit` bytes went through (yoga's `limitRequestBodySize`). */
function countedBody(request: Request, limit: number, fetchAPI: FetchApi): Request {
  const body = request.body;
  if (!body) return request;
  // A native ReadableStream does not pipe through the ponyfill's TransformStream (yoga issue 4583).
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let bytesRead = 0;
  const counted = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytesRead += chunk.byteLength;
        if (bytesRead > limit) {
          controller.error(bodyTooLarge());
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    duplex: 'half',
  } as RequestInit);
}
