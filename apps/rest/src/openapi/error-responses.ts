import { errorBodySchema } from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request could not be read: malformed percent-encoding in the path, or a body its `Content-Encoding` does not decode.',
  401: 'No API key, or an unknown one (`WWW-Authenticate: Bearer`).',
  403: 'Forbidden: a read-only API key (scope `read`, code `insufficient_scope`) on a turn or a write.',
  404: 'No such resource (or another user’s).',
  409: 'Conflict with the current state.',
  413: 'The request body is larger than the body limit, or an image larger than the attachment limit.',
  415: 'Unsupported `Content-Encoding` or charset of the request body.',
  422: 'Invalid request: `detail` lists each invalid field (`loc`, `msg`, `type`).',
  429: 'Rate limited; `Retry-After` (always sent: the upstream’s value, else computed) says when to retry.',
  502: 'The upstream failed; the message names the request id, never the upstream’s address.',
  503: 'Unavailable (shutting down, cancelled, or the store is down); may carry `Retry-After`.',
  504: 'The upstream timed out.',
};

const retryAfter = z.string().meta({
  description: 'Seconds to wait before retrying.',
  header: { description: 'Seconds to wait before retrying.' },
});

/** The contract's error responses (`{ detail, error }`) for the given statuses. */
export function errorResponses(...statuses: number[]): ZodOpenApiResponsesObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const status of statuses) {
    const response: ZodOpenApiResponseObject = {
      description: DESCRIPTIONS[status] ?? 'Error.',
      content: { 'application/json': { schema: errorBodySchema } },
    };
    if (status === 429) response.headers = z.object({ 'retry-after': retryAfter });
    if (status === 503) response.headers = z.object({ 'retry-after': retryAfter.optional() });
    responses[String(status)] = response;
  }
  return responses;
}

/** A JSON response of `schema`. */
export function json(description: string, schema: z.ZodType): ZodOpenApiResponseObject {
  return { description, content: { 'application/json': { schema } } };
}

/** The errors every authenticated /v1 route can answer. */
export const AUTHENTICATED_ERRORS = [401, 503] as const;
