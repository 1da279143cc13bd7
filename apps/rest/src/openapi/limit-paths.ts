import { callerLimitsSchema, limitsBodySchema, limitsRecordSchema } from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { AUTHENTICATED_ERRORS, errorResponses, json } from './error-responses.ts';

const admin = [{ AdminToken: [] }];
const body = { required: true, content: { 'application/json': { schema: limitsBodySchema } } };

function subjectPaths(kind: 'user' | 'key') {
  const param =
    kind === 'user'
      ? { userId: z.string().meta({ description: 'The user’s id or name.' }) }
      : { keyId: z.string().meta({ description: 'The API key’s id.' }) };
  const name = kind === 'user' ? 'User' : 'ApiKey';
  const whose = kind === 'user' ? 'a user' : 'an API key (on top of its user’s)';
  return {
    get: {
      operationId: `get${name}Limits`,
      tags: ['Admin'],
      security: admin,
      summary: `The limits of ${whose}`,
      requestParams: { path: z.object(param) },
      responses: { '200': json('Its own limits (null: none).', limitsRecordSchema), ...errorResponses(401, 404) },
    },
    put: {
      operationId: `set${name}Limits`,
      tags: ['Admin'],
      security: admin,
      summary: `Sets (replaces) the limits of ${whose}`,
      requestParams: { path: z.object(param) },
      requestBody: body,
      responses: { '200': json('The limits now.', limitsRecordSchema), ...errorResponses(401, 404, 422) },
    },
    delete: {
      operationId: `clear${name}Limits`,
      tags: ['Admin'],
      security: admin,
      summary: `Removes the limits of ${whose}${kind === 'user' ? ' (the server defaults apply again)' : ''}`,
      requestParams: { path: z.object(param) },
      responses: { '204': { description: 'Removed (or there were none).' }, ...errorResponses(401, 404) },
    },
  };
}

/** Limits per user and per key: the admin's, and the caller's view of its own. */
export const limitPaths: ZodOpenApiPathsObject = {
  '/v1/limits': {
    get: {
      operationId: 'getLimits',
      tags: ['Usage'],
      summary: 'The caller’s effective limits and what it has used of them',
      responses: { '200': json('The limits.', callerLimitsSchema), ...errorResponses(...AUTHENTICATED_ERRORS) },
    },
  },
  '/v1/admin/users/{userId}/limits': subjectPaths('user'),
  '/v1/admin/api-keys/{keyId}/limits': subjectPaths('key'),
};
