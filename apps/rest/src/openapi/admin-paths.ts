import { createdApiKeySchema, createUserSchema, listSchema, userResourceSchema } from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errorResponses, json } from './error-responses.ts';

const admin = [{ AdminToken: [] }];
const errors = (...statuses: number[]) => errorResponses(401, 403, ...statuses);

/** The admin API (contract §2): only when MEMGATE_ADMIN_TOKEN is set, with it as bearer. */
export const adminPaths: ZodOpenApiPathsObject = {
  '/v1/admin/users': {
    post: {
      operationId: 'createUser',
      tags: ['Admin'],
      security: admin,
      requestBody: {
        required: true,
        content: { 'application/json': { schema: createUserSchema.meta({ id: 'CreateUserRequest' }) } },
      },
      responses: { '201': json('The new user.', userResourceSchema), ...errors(409, 422) },
    },
    get: {
      operationId: 'listUsers',
      tags: ['Admin'],
      security: admin,
      responses: { '200': json('Every user.', listSchema(userResourceSchema, 'UserList')), ...errors() },
    },
  },
  '/v1/admin/users/{userId}/api-keys': {
    post: {
      operationId: 'createApiKey',
      tags: ['Admin'],
      security: admin,
      summary: 'Create an API key for a user (shown once)',
      requestParams: { path: z.object({ userId: z.string() }) },
      responses: { '201': json('The key.', createdApiKeySchema), ...errors(404) },
    },
  },
  '/v1/admin/api-keys/{keyId}': {
    delete: {
      operationId: 'deleteApiKey',
      tags: ['Admin'],
      security: admin,
      requestParams: { path: z.object({ keyId: z.string() }) },
      responses: { '204': { description: 'Deleted.' }, ...errors(404) },
    },
  },
};
