import {
  deletedResponseSchema,
  inputItemListSchema,
  inputItemsPageSchema,
  responseObjectSchema,
  responseRequestSchema,
} from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { AUTHENTICATED_ERRORS, errorResponses, json } from './error-responses.ts';

const responsePath = z.object({ responseId: z.string().meta({ description: 'The response’s id (`resp_…`).' }) });
const errors = (...statuses: number[]) => errorResponses(...AUTHENTICATED_ERRORS, ...statuses);
const tags = ['Responses'];

const STREAM_DESCRIPTION = [
  'With `stream: true`, Server-Sent Events (`text/event-stream`), each `event: <type>` and `data: <event as JSON>`',
  'with a growing `sequence_number`: `response.created`, `response.in_progress`, then per output item',
  '`response.output_item.added`, `response.content_part.added`, `response.output_text.delta`…,',
  '`response.output_text.done`, `response.content_part.done` (a message) or `response.function_call_arguments.delta`…,',
  '`response.function_call_arguments.done` (a function call), and `response.output_item.done`; last',
  '`response.completed` (`response.incomplete` when cut by max_output_tokens, `response.failed` when the turn',
  'failed or was cancelled). There is no `[DONE]`.',
].join(' ');

/** OpenAI's Responses API (docs/responses.md). */
export const responsePaths: ZodOpenApiPathsObject = {
  '/v1/responses': {
    post: {
      operationId: 'createResponse',
      tags,
      summary: 'Run a turn of an agent (OpenAI Responses API)',
      description:
        'The agent is named, in order, by `conversation`, by the response `previous_response_id` names, by `user`, by `model` (an agent id) and by `metadata.agent_id`. ' +
        'The turn runs in the named conversation; else in the previous response’s conversation while it is that conversation’s latest response, or in a fork of it at that response when it is not; else as a Chat Completions turn would (`X-Memgate-Conversation`, else the agent’s default conversation). ' +
        'Hosted tools and `background: true` are refused (422).',
      requestBody: {
        required: true,
        content: { 'application/json': { schema: responseRequestSchema.meta({ id: 'CreateResponseRequest' }) } },
      },
      responses: {
        '200': {
          description: `The response. ${STREAM_DESCRIPTION}`,
          headers: z.object({
            'x-memgate-conversation': z.string().meta({ header: { description: 'The conversation the turn ran in.' } }),
          }),
          content: {
            'application/json': { schema: responseObjectSchema },
            'text/event-stream': { schema: z.record(z.string(), z.unknown()).meta({ id: 'ResponseStreamEvent' }) },
          },
        },
        ...errors(400, 403, 404, 413, 415, 422, 429, 502, 504),
      },
    },
  },
  '/v1/responses/{responseId}': {
    get: {
      operationId: 'getResponse',
      tags,
      summary: 'A stored response (404 for one made with store: false)',
      requestParams: { path: responsePath },
      responses: { '200': json('The response.', responseObjectSchema), ...errors(404) },
    },
    delete: {
      operationId: 'deleteResponse',
      tags,
      summary: 'Delete a stored response (its conversation and messages stay)',
      requestParams: { path: responsePath },
      responses: { '200': json('Deleted.', deletedResponseSchema), ...errors(403, 404) },
    },
  },
  '/v1/responses/{responseId}/input_items': {
    get: {
      operationId: 'listResponseInputItems',
      tags,
      summary: 'The input items of the request that made the response',
      requestParams: { path: responsePath, query: inputItemsPageSchema },
      responses: { '200': json('One page of input items.', inputItemListSchema), ...errors(404, 422) },
    },
  },
  '/v1/responses/{responseId}/cancel': {
    post: {
      operationId: 'cancelResponse',
      tags,
      summary: 'Cancel a response streaming in flight (400 for one that is not)',
      requestParams: { path: responsePath },
      responses: { '200': json('The cancelled response.', responseObjectSchema), ...errors(400, 403, 404) },
    },
  },
};
