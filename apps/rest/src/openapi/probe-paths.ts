import { readinessSchema } from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { json } from './error-responses.ts';

const open = { security: [], tags: ['Operations'] };

/** Health probes and this document: no key. */
export const probePaths: ZodOpenApiPathsObject = {
  '/healthz': {
    get: {
      ...open,
      operationId: 'healthz',
      summary: 'Liveness',
      responses: { '200': json('The process serves.', z.object({ status: z.literal('ok') }).meta({ id: 'Health' })) },
    },
  },
  '/readyz': {
    get: {
      ...open,
      operationId: 'readyz',
      summary: 'Readiness: the store answers',
      responses: {
        '200': json('Ready.', readinessSchema),
        '503': json('Not ready.', readinessSchema),
      },
    },
  },
  '/openapi.json': {
    get: {
      ...open,
      operationId: 'openapi',
      summary: 'This document',
      responses: { '200': { description: 'The OpenAPI 3.1 document.', content: { 'application/json': {} } } },
    },
  },
};
