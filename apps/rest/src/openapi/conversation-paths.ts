import {
  conversationMessagesSchema,
  conversationPageSchema,
  conversationResourceSchema,
  createConversationSchema,
  forkConversationSchema,
  listSchema,
  rewindConversationSchema,
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
      description:
        'Messages a rewind hid are left out; with `include_hidden=true` they are listed too, each with `hidden: true`.',
      requestParams: { path: conversationPath, query: conversationMessagesSchema },
      responses: {
        '200': json('One page of messages.', messageListSchema),
        ...errors(404, 422),
      },
    },
  },
  '/v1/agents/{agentId}/conversations/{conversationId}/fork': {
    post: {
      operationId: 'forkConversation',
      tags,
      summary: 'Fork a conversation at one of its messages (memory is shared, not copied)',
      description:
        'A new conversation whose history is a copy of this one’s visible history through `at_message_id` (and the tool results answering it), or all of it. ' +
        'It keeps the summary when the message is at or after the window start; before it, it starts without one. Pending client tool calls are not copied. ' +
        'An unknown message, one of another conversation or a hidden one is 404 `message_not_found`.',
      requestParams: { path: conversationPath },
      requestBody: {
        content: {
          'application/json': { schema: forkConversationSchema.meta({ id: 'ForkConversationRequest' }) },
        },
      },
      responses: { '201': json('The new conversation.', conversationResourceSchema), ...errors(403, 404, 422) },
    },
  },
  '/v1/agents/{agentId}/conversations/{conversationId}/rewind': {
    post: {
      operationId: 'rewindConversation',
      tags,
      summary: 'Hide the messages after one from the window and from search (kept; restorable)',
      description:
        'Hides every message after `to_message_id` (its tool results stay with it), closing the pending client tool calls among them. ' +
        'Runs under the conversation’s lock, after any turn in flight. Memory is not reverted.',
      requestParams: { path: conversationPath },
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: rewindConversationSchema.meta({ id: 'RewindConversationRequest' }) },
        },
      },
      responses: {
        '200': json(
          'The conversation and how many messages were hidden.',
          z
            .object({ conversation: conversationResourceSchema, hidden: z.number().int() })
            .meta({ id: 'ConversationRewind' }),
        ),
        ...errors(403, 404, 422),
      },
    },
  },
  '/v1/agents/{agentId}/conversations/{conversationId}/restore': {
    post: {
      operationId: 'restoreConversation',
      tags,
      summary: 'Bring back every hidden message of the conversation',
      description:
        'Hidden messages come back in their place by time (seq): a window that moved on since the rewind holds them before the newer messages; ones before the window start come back to the history and search only.',
      requestParams: { path: conversationPath },
      responses: {
        '200': json(
          'The conversation and how many messages came back.',
          z
            .object({ conversation: conversationResourceSchema, restored: z.number().int() })
            .meta({ id: 'ConversationRestore' }),
        ),
        ...errors(403, 404),
      },
    },
  },
};
