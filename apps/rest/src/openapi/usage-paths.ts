import { adminUsageQuerySchema, usageQuerySchema, usageReportSchema } from '@memgate/core';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { AUTHENTICATED_ERRORS, errorResponses, json } from './error-responses.ts';

const description =
  'Every upstream call memgate makes (turn steps, summaries, embeddings; failed calls too) is one usage ' +
  'record. This sums them per group over `[from, to)`; `cost_usd` comes from the models’ prices.';

/** What the upstream calls cost: the caller’s, and every user’s for the admin. */
export const usagePaths: ZodOpenApiPathsObject = {
  '/v1/usage': {
    get: {
      operationId: 'getUsage',
      tags: ['Usage'],
      summary: 'The caller’s usage, grouped by agent, key, model or day',
      description: `${description} Covers every key of the caller’s user.`,
      requestParams: { query: usageQuerySchema },
      responses: { '200': json('The usage.', usageReportSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 422) },
    },
  },
  '/v1/admin/usage': {
    get: {
      operationId: 'getAdminUsage',
      tags: ['Admin'],
      security: [{ AdminToken: [] }],
      summary: 'Every user’s usage, or one user’s',
      description,
      requestParams: { query: adminUsageQuerySchema },
      responses: { '200': json('The usage.', usageReportSchema), ...errorResponses(401, 404, 422) },
    },
  },
};
