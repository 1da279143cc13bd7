import { chatCompletionChunkSchema, chatCompletionRequestSchema, chatCompletionSchema } from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { AUTHENTICATED_ERRORS, errorResponses } from './error-responses.ts';

const SSE_DESCRIPTION = [
  'With `stream: true`, Server-Sent Events (`text/event-stream`): each event is `data: <ChatCompletionChunk as JSON>`;',
  'the stream ends with `data: [DONE]`. An error after the first chunk arrives in-band as',
  '`data: {"error": …}` (the `error` object of `Error`), then the stream ends. Comment lines',
  '(`: keep-alive`) may come between events.',
].join(' ');

/** POST /v1/chat/completions. */
export const chatPaths: ZodOpenApiPathsObject = {
  '/v1/chat/completions': {
    post: {
      operationId: 'createChatCompletion',
      tags: ['Chat'],
      summary: 'Run a turn of an agent (OpenAI Chat Completions)',
      description:
        '`model` names an agent (its id or name) or an upstream model. New user messages are appended to the agent’s history; the agent may call its memory tools before it answers. ' +
        'The turn continues one conversation of the agent: the one named by `X-Memgate-Conversation`, else by `metadata.conversation_id`, else the one a chat UI’s chat id (`X-OpenWebUI-Chat-Id`, `X-LibreChat-Conversation-Id`) maps to (created on first use), else the agent’s default conversation.',
      requestParams: {
        header: z.object({
          'x-memgate-conversation': z
            .string()
            .optional()
            .meta({ description: 'The conversation to continue (one of the agent’s; its id).' }),
          'x-memgate-transcript': z.enum(['reconcile', 'append']).optional().meta({
            description:
              '`reconcile`: compare the transcript with the stored conversation and rewind to the first divergence (an edited or regenerated message) before the turn; `append`: store only the new input. Default: `reconcile` for a chat UI’s chats (chosen by its chat id header), else `append`. Any other value is 422.',
          }),
          'x-openwebui-chat-id': z
            .string()
            .optional()
            .meta({ description: 'Open WebUI’s chat id: each chat gets a conversation of its own.' }),
          'x-librechat-conversation-id': z
            .string()
            .optional()
            .meta({ description: 'LibreChat’s conversation id, as set in librechat.yaml: each chat gets its own.' }),
        }),
      },
      requestBody: {
        required: true,
        content: { 'application/json': { schema: chatCompletionRequestSchema.meta({ id: 'ChatCompletionRequest' }) } },
      },
      responses: {
        '200': {
          description: `The completion. ${SSE_DESCRIPTION}`,
          headers: z.object({
            'server-timing': z
              .string()
              .optional()
              .meta({ header: { description: 'Upstream and total time.' } }),
            'x-memgate-conversation': z
              .string()
              .meta({ header: { description: 'The conversation the turn continued.' } }),
            'x-memgate-rewound': z
              .string()
              .optional()
              .meta({
                header: {
                  description: 'How many messages transcript reconciliation hid before the turn; absent when none.',
                },
              }),
          }),
          content: {
            'application/json': { schema: chatCompletionSchema },
            // OpenAPI 3.1 cannot describe an event stream: its schema is that of one event's data.
            'text/event-stream': { schema: chatCompletionChunkSchema },
          },
        },
        ...errorResponses(...AUTHENTICATED_ERRORS, 400, 403, 404, 413, 415, 422, 429, 502, 504),
      },
    },
  },
};
