import {
  agentResourceSchema,
  contextResourceSchema,
  createAgentSchema,
  listSchema,
  memoryBlockSchema,
  memoryUpdateSchema,
  messagePageSchema,
  messageResourceSchema,
  modelEntrySchema,
  modelListSchema,
  passageCreateSchema,
  passageResourceSchema,
  passageSearchResourceSchema,
  passageSearchSchema,
  updateAgentSchema,
} from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { AUTHENTICATED_ERRORS, errorResponses, json } from './error-responses.ts';

const agentId = z.object({ agentId: z.string().meta({ description: 'The agent’s id.' }) });
const errors = (...statuses: number[]) => errorResponses(...AUTHENTICATED_ERRORS, ...statuses);
const noContent = { '204': { description: 'Deleted.' } };
/** A page of messages, as both history routes answer. */
export const messageListSchema = listSchema(messageResourceSchema, 'MessageList');

/** Models, agents, their history, core memory, archival memory and context (contract §3). */
export const agentPaths: ZodOpenApiPathsObject = {
  '/v1/models': {
    get: {
      operationId: 'listModels',
      tags: ['Models'],
      summary: 'The caller’s agents and the upstream models',
      responses: { '200': json('Agents first, then upstream models.', modelListSchema), ...errors() },
    },
  },
  '/v1/models/{model}': {
    get: {
      operationId: 'retrieveModel',
      tags: ['Models'],
      summary: 'One agent or upstream model',
      requestParams: {
        path: z.object({
          model: z.string().meta({ description: 'An agent id or an upstream model id (which may hold a `/`).' }),
        }),
      },
      responses: { '200': json('The model.', modelEntrySchema), ...errors(404) },
    },
  },
  '/v1/agents': {
    post: {
      operationId: 'createAgent',
      tags: ['Agents'],
      summary: 'Create an agent',
      requestBody: {
        content: { 'application/json': { schema: createAgentSchema.meta({ id: 'CreateAgentRequest' }) } },
      },
      responses: { '201': json('The new agent.', agentResourceSchema), ...errors(403, 422) },
    },
    get: {
      operationId: 'listAgents',
      tags: ['Agents'],
      summary: 'The caller’s agents',
      responses: {
        '200': json('Every agent of the caller.', listSchema(agentResourceSchema, 'AgentList')),
        ...errors(),
      },
    },
  },
  '/v1/agents/{agentId}': {
    get: {
      operationId: 'getAgent',
      tags: ['Agents'],
      requestParams: { path: agentId },
      responses: { '200': json('The agent.', agentResourceSchema), ...errors(404) },
    },
    patch: {
      operationId: 'updateAgent',
      tags: ['Agents'],
      summary: 'Change an agent’s name, model, system prompt, context window, tags or metadata',
      requestParams: { path: agentId },
      requestBody: {
        content: { 'application/json': { schema: updateAgentSchema.meta({ id: 'UpdateAgentRequest' }) } },
      },
      responses: { '200': json('The changed agent.', agentResourceSchema), ...errors(403, 404, 422) },
    },
    delete: {
      operationId: 'deleteAgent',
      tags: ['Agents'],
      summary: 'Delete an agent with its history and memory',
      requestParams: { path: agentId },
      responses: { ...noContent, ...errors(403, 404) },
    },
  },
  '/v1/agents/{agentId}/messages': {
    get: {
      operationId: 'listMessages',
      tags: ['Agents'],
      summary: 'The agent’s history, oldest first',
      requestParams: { path: agentId, query: messagePageSchema },
      responses: {
        '200': json('One page of messages.', messageListSchema),
        ...errors(404, 422),
      },
    },
  },
  '/v1/agents/{agentId}/memory': {
    get: {
      operationId: 'getMemory',
      tags: ['Memory'],
      summary: 'The agent’s core memory blocks',
      requestParams: { path: agentId },
      responses: {
        '200': json('Every block.', z.object({ blocks: z.array(memoryBlockSchema) }).meta({ id: 'CoreMemory' })),
        ...errors(404),
      },
    },
  },
  '/v1/agents/{agentId}/memory/{label}': {
    put: {
      operationId: 'updateMemoryBlock',
      tags: ['Memory'],
      summary: 'Replace the value of a core memory block',
      requestParams: { path: agentId.extend({ label: z.string().meta({ description: 'The block, e.g. `human`.' }) }) },
      requestBody: {
        required: true,
        content: { 'application/json': { schema: memoryUpdateSchema.meta({ id: 'MemoryUpdateRequest' }) } },
      },
      responses: { '200': json('The updated block.', memoryBlockSchema), ...errors(403, 404, 422) },
    },
  },
  '/v1/agents/{agentId}/archival': {
    get: {
      operationId: 'listArchival',
      tags: ['Memory'],
      summary: 'The agent’s archival passages',
      requestParams: { path: agentId, query: messagePageSchema },
      responses: {
        '200': json('One page of passages.', listSchema(passageResourceSchema, 'ArchivalPassageList')),
        ...errors(404, 422),
      },
    },
    post: {
      operationId: 'insertArchival',
      tags: ['Memory'],
      summary: 'Insert an archival passage',
      requestParams: { path: agentId },
      requestBody: {
        required: true,
        content: { 'application/json': { schema: passageCreateSchema.meta({ id: 'ArchivalInsertRequest' }) } },
      },
      responses: { '201': json('The new passage.', passageResourceSchema), ...errors(403, 404, 422, 502, 504) },
    },
  },
  '/v1/agents/{agentId}/archival/search': {
    get: {
      operationId: 'searchArchival',
      tags: ['Memory'],
      summary: 'Search archival memory (by words, and by vectors when embeddings are configured)',
      requestParams: { path: agentId, query: passageSearchSchema },
      responses: { '200': json('One page of results.', passageSearchResourceSchema), ...errors(404, 422, 502, 504) },
    },
  },
  '/v1/agents/{agentId}/archival/{passageId}': {
    delete: {
      operationId: 'deleteArchival',
      tags: ['Memory'],
      requestParams: { path: agentId.extend({ passageId: z.string() }) },
      responses: { ...noContent, ...errors(403, 404) },
    },
  },
  '/v1/agents/{agentId}/context': {
    get: {
      operationId: 'getContext',
      tags: ['Memory'],
      summary: 'What the agent’s next prompt is made of, in tokens',
      requestParams: { path: agentId },
      responses: { '200': json('The context window.', contextResourceSchema), ...errors(404) },
    },
  },
};
