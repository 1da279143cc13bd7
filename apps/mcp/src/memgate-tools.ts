import {
  agentResource,
  type Memgate,
  memoryBlockResource,
  messageResource,
  type Principal,
  type RequestContext,
} from '@memgate/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { run } from './tool-answer.ts';

/** What a session's tools act as: its user, and the request context turns report. */
export interface ToolCaller {
  principal(): Principal;
  context(): RequestContext;
}

const agentId = z.string().min(1).describe('The agent’s id (`agent-…`), from list_agents.');
const page = z.number().int().min(1).optional().describe('1-based page of results; default 1.');
const limit = z.number().int().min(1).max(100).optional().describe('Results per page, 1–100; default 10.');

/**
 * memgate's tools over MCP. Each is one call of a core service, with the session's user as the
 * caller: ownership, scopes and validation are the ones REST, GraphQL and WebSocket get.
 */
export function registerMemgateTools(server: McpServer, memgate: Memgate, caller: ToolCaller): void {
  server.registerTool(
    'list_agents',
    { title: 'List agents', description: 'Your memgate agents: id, name, model, tags.', inputSchema: {} },
    () =>
      run(async () => {
        const agents = await memgate.agents.list(caller.principal());
        return agents.map((agent) => {
          const { id, name, model, tags, metadata, created_at } = agentResource(agent);
          return { id, name, model, tags, metadata, created_at };
        });
      }),
  );

  server.registerTool(
    'chat',
    {
      title: 'Chat with an agent',
      description:
        'Sends a message to a stateful memgate agent and returns its reply. The agent remembers: its memory and the conversation are kept on the server.',
      inputSchema: {
        agent_id: agentId,
        message: z.string().min(1).describe('What to say to the agent.'),
        conversation_id: z
          .string()
          .min(1)
          .optional()
          .describe('A conversation of the agent; default its default conversation.'),
      },
    },
    (args, extra) =>
      run(async () => {
        const body = { model: args.agent_id, user: args.agent_id, messages: [{ role: 'user', content: args.message }] };
        const completion = await memgate.chat.complete(caller.principal(), body, {
          signal: extra.signal,
          context: caller.context(),
          ...(args.conversation_id !== undefined && { conversationId: args.conversation_id }),
        });
        return completion.choices[0]?.message.content ?? '';
      }),
  );

  server.registerTool(
    'read_memory',
    {
      title: 'Read an agent’s core memory',
      description: 'The agent’s core memory blocks (persona, human, and any others): label, value, limit, version.',
      inputSchema: { agent_id: agentId },
    },
    (args) =>
      run(async () => (await memgate.agents.memory(caller.principal(), args.agent_id)).map(memoryBlockResource)),
  );

  server.registerTool(
    'update_memory_block',
    {
      title: 'Write a core memory block',
      description: 'Replaces the value of one of the agent’s core memory blocks (within the block’s limit).',
      inputSchema: {
        agent_id: agentId,
        label: z.string().min(1).describe('The block’s label, e.g. `human` or `persona`.'),
        value: z.string().describe('The block’s new value.'),
      },
    },
    (args) =>
      run(async () =>
        memoryBlockResource(
          await memgate.agents.updateMemory(caller.principal(), args.agent_id, args.label, { value: args.value }),
        ),
      ),
  );

  server.registerTool(
    'archival_search',
    {
      title: 'Search archival memory',
      description: 'Searches the agent’s archival memory (long-term passages), best match first.',
      inputSchema: { agent_id: agentId, query: z.string().min(1), page, limit },
    },
    (args, extra) =>
      run(async () => {
        const query = {
          q: args.query,
          ...(args.page && { page: args.page }),
          ...(args.limit && { limit: args.limit }),
        };
        const results = await memgate.memory.searchPassages(caller.principal(), args.agent_id, query, extra.signal);
        return {
          query: results.query,
          total: results.total,
          page: results.page,
          pages: results.pages,
          passages: results.hits.map((passage) => ({
            id: passage.id,
            content: passage.content,
            created_at: passage.createdAt,
          })),
        };
      }),
  );

  server.registerTool(
    'archival_insert',
    {
      title: 'Add to archival memory',
      description:
        'Stores a passage in the agent’s archival memory, where archival_search (and the agent) can find it.',
      inputSchema: { agent_id: agentId, content: z.string().min(1).describe('The passage, up to 20,000 characters.') },
    },
    (args, extra) =>
      run(async () => {
        const passage = await memgate.memory.insertPassage(
          caller.principal(),
          args.agent_id,
          { content: args.content },
          extra.signal,
        );
        return { id: passage.id, content: passage.content, created_at: passage.createdAt };
      }),
  );

  server.registerTool(
    'conversation_search',
    {
      title: 'Search an agent’s conversations',
      description: 'Searches what was said with the agent (all its conversations, or one), best match first.',
      inputSchema: {
        agent_id: agentId,
        query: z.string().min(1),
        conversation_id: z.string().min(1).optional().describe('Only this conversation; default all.'),
        page,
        limit,
      },
    },
    (args) =>
      run(async () => {
        const query = {
          q: args.query,
          ...(args.page && { page: args.page }),
          ...(args.limit && { limit: args.limit }),
          ...(args.conversation_id && { conversation_id: args.conversation_id }),
        };
        const results = await memgate.memory.searchMessages(caller.principal(), args.agent_id, query);
        return {
          query: results.query,
          total: results.total,
          page: results.page,
          pages: results.pages,
          messages: results.hits.map(messageResource),
        };
      }),
  );
}
