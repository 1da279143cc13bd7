import {
  apiKeyResourceSchema,
  createApiKeySchema,
  createdApiKeySchema,
  createUserSchema,
  listSchema,
  userResourceSchema,
} from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errorResponses, json } from './error-responses.ts';

const admin = [{ AdminToken: [] }];
const errors = (...statuses: number[]) => errorResponses(401, ...statuses);

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
  '/v1/admin/users/{userId}': {
    delete: {
      operationId: 'deleteUser',
      tags: ['Admin'],
      security: admin,
      summary: 'Delete a user and their keys (409 while they have agents, unless force=true)',
      description:
        'The user’s keys stop working at once and the WebSocket and graphql-ws sessions they opened close ' +
        'with 4401, on every instance. A user who still has agents is kept (409 `user_has_agents`) unless ' +
        '`force=true`: then their agents, with memory and history, are deleted in the same transaction.',
      requestParams: {
        path: z.object({ userId: z.string() }),
        query: z.object({
          force: z.enum(['true', 'false']).optional().meta({ description: 'Also delete the user’s agents.' }),
        }),
      },
      responses: { '204': { description: 'Deleted.' }, ...errors(404, 409, 422) },
    },
  },
  '/v1/admin/users/{userId}/api-keys': {
    post: {
      operationId: 'createApiKey',
      tags: ['Admin'],
      security: admin,
      summary: 'Create an API key for a user (shown once)',
      requestParams: { path: z.object({ userId: z.string() }) },
      requestBody: {
        required: false,
        content: { 'application/json': { schema: createApiKeySchema.meta({ id: 'CreateApiKeyRequest' }) } },
      },
      responses: { '201': json('The key.', createdApiKeySchema), ...errors(404, 422) },
    },
    get: {
      operationId: 'listApiKeys',
      tags: ['Admin'],
      security: admin,
      summary: 'List a user’s API keys (never their secrets)',
      requestParams: { path: z.object({ userId: z.string() }) },
      responses: {
        '200': json('The user’s keys, oldest first.', listSchema(apiKeyResourceSchema, 'ApiKeyList')),
        ...errors(404),
      },
    },
  },
  '/v1/admin/api-keys/{keyId}': {
    delete: {
      operationId: 'deleteApiKey',
      tags: ['Admin'],
      security: admin,
      summary: 'Revoke an API key',
      description:
        'The key stops working at once, and the WebSocket and graphql-ws sessions it opened close with 4401, on every instance.',
      requestParams: { path: z.object({ keyId: z.string() }) },
      responses: { '204': { description: 'Deleted.' }, ...errors(404) },
    },
  },
};
