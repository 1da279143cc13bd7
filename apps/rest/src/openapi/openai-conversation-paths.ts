import {
  openaiConversationCreateSchema,
  openaiConversationUpdateSchema,
  openaiItemsCreateSchema,
  openaiItemsPageSchema,
} from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { AUTHENTICATED_ERRORS, errorResponses, json } from './error-responses.ts';

const conversationPath = z.object({
  conversationId: z.string().meta({ description: 'The conversation’s id (an agent’s id names its default one).' }),
});
const itemPath = conversationPath.extend({
  itemId: z.string().meta({ description: 'The item’s id (`msg_…`, `fc_…`, `fco_…`).' }),
});
const errors = (...statuses: number[]) => errorResponses(...AUTHENTICATED_ERRORS, ...statuses);
const tags = ['OpenAI Conversations'];

const conversationObjectSchema = z
  .object({
    id: z.string(),
    object: z.literal('conversation'),
    created_at: z.number().int().meta({ description: 'Unix seconds.' }),
    metadata: z.record(z.string(), z.string()),
  })
  .meta({ id: 'OpenAIConversation' });

const itemSchema = z
  .object({
    id: z.string(),
    type: z.enum(['message', 'function_call', 'function_call_output']),
    status: z.string(),
  })
  .loose()
  .meta({
    id: 'ConversationItem',
    description:
      'A Responses item: `message` (user, system and developer messages with `input_text`/`input_image` content, assistant messages with `output_text`), `function_call` (a client tool call) or `function_call_output` (its result).',
  });

const itemListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(itemSchema),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
    has_more: z.boolean(),
  })
  .meta({ id: 'ConversationItemList' });

const deletedSchema = z
  .object({ id: z.string(), object: z.literal('conversation.deleted'), deleted: z.literal(true) })
  .meta({ id: 'DeletedOpenAIConversation' });

const itemQuery = z.object({ include: z.array(z.string()).optional() });

/** OpenAI's Conversations API (docs/openai-conversations.md). */
export const openaiConversationPaths: ZodOpenApiPathsObject = {
  '/v1/conversations': {
    post: {
      operationId: 'createOpenAIConversation',
      tags,
      summary: 'Create a conversation of the agent `metadata.agent_id` (else `user`) names, with its first items',
      requestBody: {
        content: {
          'application/json': {
            schema: openaiConversationCreateSchema.meta({ id: 'CreateOpenAIConversationRequest' }),
          },
        },
      },
      responses: { '200': json('The conversation.', conversationObjectSchema), ...errors(403, 404, 422) },
    },
  },
  '/v1/conversations/{conversationId}': {
    get: {
      operationId: 'getOpenAIConversation',
      tags,
      requestParams: { path: conversationPath },
      responses: { '200': json('The conversation.', conversationObjectSchema), ...errors(404) },
    },
    post: {
      operationId: 'updateOpenAIConversation',
      tags,
      summary: 'Replace the conversation’s metadata',
      requestParams: { path: conversationPath },
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: openaiConversationUpdateSchema.meta({ id: 'UpdateOpenAIConversationRequest' }),
          },
        },
      },
      responses: { '200': json('The conversation.', conversationObjectSchema), ...errors(403, 404, 422) },
    },
    delete: {
      operationId: 'deleteOpenAIConversation',
      tags,
      summary: 'Delete a conversation with its messages (409 for an agent’s default one)',
      requestParams: { path: conversationPath },
      responses: { '200': json('Deleted.', deletedSchema), ...errors(403, 404, 409) },
    },
  },
  '/v1/conversations/{conversationId}/items': {
    get: {
      operationId: 'listOpenAIConversationItems',
      tags,
      summary: 'The conversation’s visible messages as items, newest first by default',
      requestParams: { path: conversationPath, query: openaiItemsPageSchema },
      responses: { '200': json('One page of items.', itemListSchema), ...errors(404, 422) },
    },
    post: {
      operationId: 'createOpenAIConversationItems',
      tags,
      summary: 'Add up to 20 items to the conversation without running a turn',
      requestParams: { path: conversationPath },
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: openaiItemsCreateSchema.meta({ id: 'CreateOpenAIConversationItemsRequest' }) },
        },
      },
      responses: { '200': json('The added items.', itemListSchema), ...errors(403, 404, 413, 422) },
    },
  },
  '/v1/conversations/{conversationId}/items/{itemId}': {
    get: {
      operationId: 'getOpenAIConversationItem',
      tags,
      requestParams: { path: itemPath, query: itemQuery },
      responses: { '200': json('The item.', itemSchema), ...errors(404, 422) },
    },
    delete: {
      operationId: 'deleteOpenAIConversationItem',
      tags,
      summary: 'Hide the item’s message (with its whole tool exchange); returns the conversation',
      requestParams: { path: itemPath },
      responses: { '200': json('The conversation.', conversationObjectSchema), ...errors(403, 404) },
    },
  },
};
