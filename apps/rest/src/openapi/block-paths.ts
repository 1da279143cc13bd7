import {
  agentFileExportQuerySchema,
  agentFileImportQuerySchema,
  agentResourceSchema,
  blockCreateSchema,
  blockDeleteSchema,
  blockHistoryEntrySchema,
  blockHistoryPageSchema,
  blockListSchema,
  blockResourceSchema,
  blockUpdateSchema,
  listSchema,
} from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { AUTHENTICATED_ERRORS, errorResponses, json } from './error-responses.ts';

const blockId = z.object({ blockId: z.string().meta({ description: 'The block’s id (`block-…`).' }) });
const agentBlock = blockId.extend({ agentId: z.string().meta({ description: 'The agent’s id.' }) });
const errors = (...statuses: number[]) => errorResponses(...AUTHENTICATED_ERRORS, ...statuses);

const agentId = z.object({ agentId: z.string().meta({ description: 'The agent’s id.' }) });
const agentFile = z.record(z.string(), z.unknown()).meta({
  id: 'AgentFile',
  description:
    'A Letta Agent File (v2): agents, blocks, tools, mcp_servers, files, sources, groups, metadata, created_at. See docs/agent-files.md.',
});
const importResult = z
  .object({
    agent_ids: z.array(z.string()),
    warnings: z.array(z.string()).meta({ description: 'Everything of the file memgate will not run, by name.' }),
    dry_run: z.boolean(),
  })
  .meta({ id: 'AgentFileImport' });

/** Memory blocks as their own entities, shared between agents, with their history; Agent Files. */
export const blockPaths: ZodOpenApiPathsObject = {
  '/v1/agents/{agentId}/export': {
    get: {
      operationId: 'exportAgent',
      tags: ['Agents'],
      summary: 'The agent as a Letta Agent File (.af)',
      requestParams: { path: agentId, query: agentFileExportQuerySchema },
      responses: { '200': json('The Agent File.', agentFile), ...errors(404, 422) },
    },
  },
  '/v1/agents/import': {
    post: {
      operationId: 'importAgents',
      tags: ['Agents'],
      summary: 'Import the agents of a Letta Agent File, all or nothing',
      requestParams: { query: agentFileImportQuerySchema },
      requestBody: {
        content: {
          'application/json': { schema: agentFile },
          'multipart/form-data': {
            schema: z.object({ file: z.string().meta({ format: 'binary', description: 'The .af file.' }) }),
          },
        },
      },
      responses: {
        '201': json('The new agents, and what was not imported.', importResult),
        '200': json('A dry run: nothing was stored.', importResult),
        ...errors(403, 413, 422),
      },
    },
  },
  '/v1/blocks': {
    post: {
      operationId: 'createBlock',
      tags: ['Blocks'],
      summary: 'Create a block, to attach to agents',
      requestBody: {
        content: { 'application/json': { schema: blockCreateSchema.meta({ id: 'CreateBlockRequest' }) } },
      },
      responses: { '201': json('The new block.', blockResourceSchema), ...errors(403, 422) },
    },
    get: {
      operationId: 'listBlocks',
      tags: ['Blocks'],
      summary: 'The caller’s blocks, oldest first',
      requestParams: { query: blockListSchema },
      responses: { '200': json('One page of blocks.', listSchema(blockResourceSchema, 'BlockList')), ...errors(422) },
    },
  },
  '/v1/blocks/{blockId}': {
    get: {
      operationId: 'getBlock',
      tags: ['Blocks'],
      requestParams: { path: blockId },
      responses: { '200': json('The block.', blockResourceSchema), ...errors(404) },
    },
    patch: {
      operationId: 'updateBlock',
      tags: ['Blocks'],
      summary: 'Change a block; every agent it is attached to sees it on its next step',
      requestParams: { path: blockId },
      requestBody: {
        content: { 'application/json': { schema: blockUpdateSchema.meta({ id: 'UpdateBlockRequest' }) } },
      },
      responses: { '200': json('The changed block.', blockResourceSchema), ...errors(403, 404, 409, 422) },
    },
    delete: {
      operationId: 'deleteBlock',
      tags: ['Blocks'],
      summary: 'Delete a block (409 while attached, unless force=true)',
      requestParams: { path: blockId, query: blockDeleteSchema },
      responses: { '204': { description: 'Deleted.' }, ...errors(403, 404, 409, 422) },
    },
  },
  '/v1/blocks/{blockId}/history': {
    get: {
      operationId: 'getBlockHistory',
      tags: ['Blocks'],
      summary: 'Every write of the block, newest first',
      requestParams: { path: blockId, query: blockHistoryPageSchema },
      responses: {
        '200': json('One page of writes.', listSchema(blockHistoryEntrySchema, 'BlockHistory')),
        ...errors(404, 422),
      },
    },
  },
  '/v1/agents/{agentId}/blocks/{blockId}': {
    put: {
      operationId: 'attachBlock',
      tags: ['Blocks'],
      summary: 'Attach a block to an agent',
      requestParams: { path: agentBlock },
      responses: { '200': json('The agent with the block.', agentResourceSchema), ...errors(403, 404, 422) },
    },
    delete: {
      operationId: 'detachBlock',
      tags: ['Blocks'],
      summary: 'Detach a block from an agent (the block stays)',
      requestParams: { path: agentBlock },
      responses: { '204': { description: 'Detached.' }, ...errors(403, 404) },
    },
  },
};
