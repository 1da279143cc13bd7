import { errorBodySchema } from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request could not be read: malformed percent-encoding in the path, or a body its `Content-Encoding` does not decode.',
  401: 'No API key, or an unknown one (`WWW-Authenticate: Bearer`).',
  403: 'Forbidden: the admin API without its token, or the admin API turned off.',
  404: 'No such resource (or another user’s).',
  409: 'Conflict with the current state.',
  413: 'The request body is larger than the body limit, or an image larger than the attachment limit.',
  415: 'Unsupported `Content-Encoding` or charset of the request body.',
  422: 'Invalid request: `detail` lists each invalid field (`loc`, `msg`, `type`).',
  429: 'The upstream rate-limited the turn; `Retry-After` says when to retry.',
  502: 'The upstream failed.',
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
    if (status === 429 || status === 503) response.headers = z.object({ 'retry-after': retryAfter.optional() });
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
