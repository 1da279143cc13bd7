import { readFileSync } from 'node:fs';
import { createDocument, type ZodOpenApiObject } from 'zod-openapi';
import { adminPaths } from './admin-paths.ts';
import { agentPaths } from './agent-paths.ts';
import { blockPaths } from './block-paths.ts';
import { chatPaths } from './chat-paths.ts';
import { conversationPaths } from './conversation-paths.ts';
import { limitPaths } from './limit-paths.ts';
import { mcpServerPaths } from './mcp-server-paths.ts';
import { openaiConversationPaths } from './openai-conversation-paths.ts';
import { probePaths } from './probe-paths.ts';
import { responsePaths } from './response-paths.ts';
import { usagePaths } from './usage-paths.ts';

type OpenApiDocument = ReturnType<typeof createDocument>;

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const definition: ZodOpenApiObject = {
  openapi: '3.1.0',
  info: {
    title: 'memgate REST API',
    version,
    description:
      'Stateful agents behind OpenAI Chat Completions. Generated from the zod schemas that validate each request. Every error has the `Error` shape.',
  },
  security: [{ ApiKey: [] }],
  tags: [
    { name: 'Chat' },
    { name: 'Models' },
    { name: 'Agents' },
    { name: 'Memory' },
    { name: 'Blocks', description: 'Memory blocks shared between agents, with the history of every write.' },
    { name: 'Conversations', description: 'Threads of an agent; core and archival memory are shared by all of them.' },
    { name: 'Responses', description: 'OpenAI’s Responses API over the same agents and conversations.' },
    { name: 'Usage', description: 'What the upstream calls cost, from one record per call.' },
    { name: 'MCP', description: 'MCP servers as tool sources, and their tools.' },
    { name: 'Admin', description: 'Only when MEMGATE_ADMIN_TOKEN is set.' },
    { name: 'Operations' },
  ],
  paths: {
    ...chatPaths,
    ...agentPaths,
    ...blockPaths,
    ...conversationPaths,
    ...responsePaths,
    ...openaiConversationPaths,
    ...usagePaths,
    ...limitPaths,
    ...mcpServerPaths,
    ...adminPaths,
    ...probePaths,
  },
  components: {
    securitySchemes: {
      ApiKey: {
        type: 'http',
        scheme: 'bearer',
        description: 'A user’s API key (`mg-…`), created by the CLI or the admin API.',
      },
      AdminToken: { type: 'http', scheme: 'bearer', description: 'MEMGATE_ADMIN_TOKEN.' },
    },
  },
};

let document: OpenApiDocument | undefined;

/** The OpenAPI 3.1 document of the REST API, generated (once) from the core's zod schemas. */
export function openApiDocument(): OpenApiDocument {
  document ??= createDocument(definition);
  return document;
}
