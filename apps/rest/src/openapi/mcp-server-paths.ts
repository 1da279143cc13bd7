import {
  agentToolsBodySchema,
  agentToolsViewSchema,
  listSchema,
  mcpServerCreateSchema,
  mcpServerResourceSchema,
  mcpServerUpdateSchema,
  mcpToolListSchema,
  mcpToolsQuerySchema,
} from '@memgate/core';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { AUTHENTICATED_ERRORS, errorResponses, json } from './error-responses.ts';

const serverId = z.object({
  serverId: z.string().meta({ description: 'The server’s id (`mcp-…`, or `mcp-file-<name>` for the operator’s).' }),
});
const errors = (...statuses: number[]) => errorResponses(...AUTHENTICATED_ERRORS, ...statuses);
const description =
  'Headers are encrypted at rest (MEMGATE_SECRET_KEY) and never returned: answers name them only. URLs must be ' +
  'http(s) and, unless MEMGATE_MCP_ALLOW_PRIVATE=1, resolve to public addresses. See docs/mcp.md.';

const agentId = z.object({ agentId: z.string().meta({ description: 'The agent’s id.' }) });
const toolsDescription =
  'Attachments are `{server, tool}` (one tool) or `{server, all: true}` (all of the server’s allowed tools); `server` ' +
  'is a server’s id or name. The model sees each as `server__tool` with the server’s JSON Schema. A deleted server’s ' +
  'attachments stay, listed with `missing: true`, and offer nothing. See docs/mcp.md.';

/** MCP servers as tool sources. */
export const mcpServerPaths: ZodOpenApiPathsObject = {
  '/v1/mcp-servers': {
    post: {
      operationId: 'createMcpServer',
      tags: ['MCP'],
      summary: 'Add an MCP server (Streamable HTTP or SSE)',
      description,
      requestBody: { content: { 'application/json': { schema: mcpServerCreateSchema } } },
      responses: { '201': json('The server.', mcpServerResourceSchema), ...errors(403, 409, 422) },
    },
    get: {
      operationId: 'listMcpServers',
      tags: ['MCP'],
      summary: 'The operator’s MCP servers, then yours',
      responses: { '200': json('The servers.', listSchema(mcpServerResourceSchema, 'McpServerList')), ...errors() },
    },
  },
  '/v1/mcp-servers/{serverId}': {
    get: {
      operationId: 'getMcpServer',
      tags: ['MCP'],
      summary: 'One MCP server',
      requestParams: { path: serverId },
      responses: { '200': json('The server.', mcpServerResourceSchema), ...errors(404) },
    },
    patch: {
      operationId: 'updateMcpServer',
      tags: ['MCP'],
      summary: 'Change an MCP server; `headers` replaces them all (null: none)',
      description,
      requestParams: { path: serverId },
      requestBody: { content: { 'application/json': { schema: mcpServerUpdateSchema } } },
      responses: { '200': json('The server.', mcpServerResourceSchema), ...errors(403, 404, 409, 422) },
    },
    delete: {
      operationId: 'deleteMcpServer',
      tags: ['MCP'],
      summary: 'Delete an MCP server',
      requestParams: { path: serverId },
      responses: { '204': { description: 'Deleted.' }, ...errors(403, 404) },
    },
  },
  '/v1/mcp-servers/{serverId}/tools': {
    get: {
      operationId: 'listMcpServerTools',
      tags: ['MCP'],
      summary: 'The server’s tools, live (cached 5 minutes; `refresh=true` asks again)',
      description:
        'Each tool under the name the model sees (`server__tool`), whether it is allowed and needs approval. A tool a ' +
        'model cannot use (a name outside `[a-zA-Z0-9_-]{1,64}` once prefixed, a schema that is not an object) is ' +
        'listed with `usable: false` and a `warning`. An unreachable server is a 502, one that does not answer in time a 504.',
      requestParams: { path: serverId, query: mcpToolsQuerySchema },
      responses: { '200': json('The tools.', mcpToolListSchema), ...errors(404, 409, 422, 502, 504) },
    },
  },
  '/v1/agents/{agentId}/tools': {
    get: {
      operationId: 'getAgentTools',
      tags: ['MCP'],
      summary: 'The MCP tools attached to an agent, and the tools they give its model now',
      description: toolsDescription,
      requestParams: { path: agentId },
      responses: { '200': json('The attachments and tools.', agentToolsViewSchema), ...errors(404) },
    },
    put: {
      operationId: 'setAgentTools',
      tags: ['MCP'],
      summary: 'Replace the MCP tools attached to an agent',
      description:
        toolsDescription +
        ' An unknown server (another user’s included) or a tool outside the server’s `allowed_tools` is a 422.',
      requestParams: { path: agentId },
      requestBody: { content: { 'application/json': { schema: agentToolsBodySchema } } },
      responses: { '200': json('The attachments and tools.', agentToolsViewSchema), ...errors(403, 404, 422) },
    },
  },
};
