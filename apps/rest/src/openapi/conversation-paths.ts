import {
  conversationPageSchema,
  conversationResourceSchema,
  createConversationSchema,
  listSchema,
  messagePageSchema,
  updateConversationSchema,
} from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { messageListSchema } from './agent-paths.ts';
import { AUTHENTICATED_ERRORS, errorResponses, json } from './error-responses.ts';

const agentId = z.object({ agentId: z.string().meta({ description: 'The agent’s id.' }) });
const conversationPath = agentId.extend({
  conversationId: z.string().meta({ description: 'The conversation’s id (the agent’s id names its default one).' }),
});
const errors = (...statuses: number[]) => errorResponses(...AUTHENTICATED_ERRORS, ...statuses);
const tags = ['Conversations'];

/** An agent's conversations: threads with their own window, sharing the agent's memory. */
export const conversationPaths: ZodOpenApiPathsObject = {
  '/v1/agents/{agentId}/conversations': {
    post: {
      operationId: 'createConversation',
      tags,
      summary: 'Start a conversation with the agent',
      requestParams: { path: agentId },
      requestBody: {
        content: {
          'application/json': { schema: createConversationSchema.meta({ id: 'CreateConversationRequest' }) },
        },
      },
      responses: { '201': json('The new conversation.', conversationResourceSchema), ...errors(403, 404, 422) },
    },
    get: {
      operationId: 'listConversations',
      tags,
      summary: 'The agent’s conversations, oldest (the default one) first',
      requestParams: { path: agentId, query: conversationPageSchema },
      responses: {
        '200': json('One page of conversations.', listSchema(conversationResourceSchema, 'ConversationList')),
        ...errors(404, 422),
      },
    },
  },
  '/v1/agents/{agentId}/conversations/{conversationId}': {
    get: {
      operationId: 'getConversation',
      tags,
      requestParams: { path: conversationPath },
      responses: { '200': json('The conversation.', conversationResourceSchema), ...errors(404) },
    },
    patch: {
      operationId: 'updateConversation',
      tags,
      summary: 'Rename a conversation or change its metadata (null clears)',
      requestParams: { path: conversationPath },
      requestBody: {
        content: {
          'application/json': { schema: updateConversationSchema.meta({ id: 'UpdateConversationRequest' }) },
        },
      },
      responses: { '200': json('The conversation.', conversationResourceSchema), ...errors(403, 404, 422) },
    },
    delete: {
      operationId: 'deleteConversation',
      tags,
      summary: 'Delete a conversation with its messages (409 for the default one; memory stays)',
      requestParams: { path: conversationPath },
      responses: { '204': { description: 'Deleted.' }, ...errors(403, 404, 409) },
    },
  },
  '/v1/agents/{agentId}/conversations/{conversationId}/messages': {
    get: {
      operationId: 'listConversationMessages',
      tags,
      summary: 'The conversation’s history, oldest first',
      requestParams: { path: conversationPath, query: messagePageSchema },
      responses: {
        '200': json('One page of messages.', messageListSchema),
        ...errors(404, 422),
      },
    },
  },
};
