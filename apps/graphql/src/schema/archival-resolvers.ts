import type { Memgate } from '@memgate/core';
import type { GraphqlContext } from '../graphql-context.ts';
import { linkedAbort } from '../streams/linked-abort.ts';
import { present } from './chat-input.ts';
import { contextFields, messageSearchFields, passageFields, passageSearchFields } from './console-output.ts';

type Root = unknown;

interface SearchArgs {
  agentId: string;
  query: string;
  page?: number | null;
  limit?: number | null;
}

/**
 * Runs a core call that may reach the upstream (embeddings) with a native signal that aborts
 * when the client leaves, as the chat resolvers do.
 */
async function untilClientLeaves<T>(context: GraphqlContext, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = linkedAbort(context.signal);
  try {
    return await call(abort.controller.signal);
  } finally {
    abort.unlink();
  }
}

/**
 * Archival memory, history search and the context report: each resolver makes the core call of
 * the matching REST route (agent-routes.ts) with the same query, so limits and errors are REST's.
 */
export function createArchivalResolvers(memgate: Memgate) {
  const { memory } = memgate;
  return {
    Query: {
      archivalPassages: async (
        _root: Root,
        args: { agentId: string; limit?: number | null; before?: string | null },
        context: GraphqlContext,
      ) => {
        context.request.agentId = args.agentId;
        const page = present({ limit: args.limit, before: args.before });
        return (await memory.listPassages(context.principal, args.agentId, page)).map(passageFields);
      },
      searchArchival: async (_root: Root, args: SearchArgs, context: GraphqlContext) => {
        context.request.agentId = args.agentId;
        const query = present({ q: args.query, page: args.page, limit: args.limit });
        const results = await untilClientLeaves(context, (signal) =>
          memory.searchPassages(context.principal, args.agentId, query, signal),
        );
        return passageSearchFields(results);
      },
      searchMessages: async (
        _root: Root,
        args: SearchArgs & { conversationId?: string | null },
        context: GraphqlContext,
      ) => {
        context.request.agentId = args.agentId;
        const query = present({
          q: args.query,
          page: args.page,
          limit: args.limit,
          conversation_id: args.conversationId,
        });
        return messageSearchFields(await memory.searchMessages(context.principal, args.agentId, query));
      },
      agentContext: async (_root: Root, args: { agentId: string }, context: GraphqlContext) => {
        context.request.agentId = args.agentId;
        return contextFields(await memory.context(context.principal, args.agentId));
      },
    },
    Mutation: {
      insertArchivalPassage: async (
        _root: Root,
        args: { agentId: string; content: string },
        context: GraphqlContext,
      ) => {
        context.request.agentId = args.agentId;
        const body = { content: args.content };
        const passage = await untilClientLeaves(context, (signal) =>
          memory.insertPassage(context.principal, args.agentId, body, signal),
        );
        return passageFields(passage);
      },
      deleteArchivalPassage: async (_root: Root, args: { agentId: string; id: string }, context: GraphqlContext) => {
        context.request.agentId = args.agentId;
        await memory.deletePassage(context.principal, args.agentId, args.id);
        return true;
      },
    },
  };
}
