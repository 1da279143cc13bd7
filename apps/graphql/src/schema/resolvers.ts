import type { Memgate, TurnTiming } from '@memgate/core';
import type { Observability } from '@memgate/runtime';
import type { GraphqlContext } from '../graphql-context.ts';
import { coreContext, tagError } from '../request-state.ts';
import { type AgentEventItem, agentEventSource } from '../streams/agent-event-source.ts';
import { type ChatStreamEvent, openChatStream } from '../streams/chat-stream-source.ts';
import { linkedAbort } from '../streams/linked-abort.ts';
import {
  agentEventFields,
  agentFields,
  blockFields,
  blockHistoryFields,
  conversationFields,
  messageFields,
} from './agent-output.ts';
import { editAgentBlock } from './block-edit-resolvers.ts';
import {
  type BlockInput,
  blockBody,
  type ChatCompletionInput,
  type ConversationInput,
  type CreateAgentInput,
  chatRequestBody,
  conversationBody,
  createAgentBody,
  present,
  type UpdateAgentInput,
  type UpdateBlockInput,
  updateAgentBody,
} from './chat-input.ts';
import { chunkFields, completionFields } from './chat-output.ts';
import { jsonScalar } from './json-scalar.ts';
import { callerLimitsFields, usageReportFields } from './usage-output.ts';

type Root = unknown;

interface MessagesArgs {
  agentId: string;
  limit?: number | null;
  before?: string | null;
  conversationId?: string | null;
  includeHidden?: boolean | null;
}

interface PageArgs {
  limit?: number | null;
  before?: string | null;
}

interface ConversationArgs {
  agentId: string;
  id: string;
}

/**
 * The resolvers: each translates its GraphQL arguments into one core call and the result back
 * into GraphQL types. Validation, ownership and every chat rule live in the core.
 * `shutdown` aborts when the app closes, ending the open-ended `agentEvents` streams.
 */
export function createResolvers(memgate: Memgate, shutdown: AbortSignal, observability: Observability) {
  const subscriptions = observability.metrics.graphqlSubscriptions;
  return {
    JSON: jsonScalar,
    Query: {
      agents: async (_root: Root, _args: unknown, context: GraphqlContext) =>
        (await memgate.agents.list(context.principal)).map(agentFields),
      agent: async (_root: Root, args: { id: string }, context: GraphqlContext) => {
        context.request.agentId = args.id;
        return agentFields(await memgate.agents.get(context.principal, args.id));
      },
      messages: async (_root: Root, args: MessagesArgs, context: GraphqlContext) => {
        context.request.agentId = args.agentId;
        const page = present({ limit: args.limit, before: args.before });
        const conversationId = args.conversationId ?? (args.includeHidden ? args.agentId : null);
        const messages =
          conversationId == null
            ? await memgate.agents.messages(context.principal, args.agentId, page)
            : await memgate.conversations.messages(context.principal, args.agentId, conversationId, {
                ...page,
                ...(args.includeHidden && { include_hidden: true }),
              });
        return messages.map(messageFields);
      },
      conversation: async (_root: Root, args: ConversationArgs, context: GraphqlContext) => {
        context.request.agentId = args.agentId;
        return conversationFields(await memgate.conversations.get(context.principal, args.agentId, args.id));
      },
      blocks: async (_root: Root, args: PageArgs & { label?: string | null }, context: GraphqlContext) => {
        const query = present({ limit: args.limit, before: args.before, label: args.label });
        return (await memgate.blocks.list(context.principal, query)).map(blockFields);
      },
      block: async (_root: Root, args: { id: string }, context: GraphqlContext) =>
        blockFields(await memgate.blocks.get(context.principal, args.id)),
      usage: async (
        _root: Root,
        args: { groupBy?: string | null; from?: string | null; to?: string | null },
        context: GraphqlContext,
      ) => {
        const query = present({ group_by: args.groupBy, from: args.from, to: args.to });
        return usageReportFields(await memgate.usage.report(context.principal, query));
      },
      limits: async (_root: Root, _args: unknown, context: GraphqlContext) =>
        callerLimitsFields(await memgate.limits.caller(context.principal)),
    },
    Block: {
      history: async (
        block: { id: string },
        args: { limit?: number | null; before?: number | null },
        context: GraphqlContext,
      ) => {
        const query = present({ limit: args.limit, before: args.before });
        return (await memgate.blocks.history(context.principal, block.id, query)).map(blockHistoryFields);
      },
    },
    Agent: {
      conversations: async (agent: { id: string }, args: PageArgs, context: GraphqlContext) => {
        const page = present({ limit: args.limit, before: args.before });
        return (await memgate.conversations.list(context.principal, agent.id, page)).map(conversationFields);
      },
    },
    Mutation: {
      createAgent: async (_root: Root, args: { input: CreateAgentInput }, context: GraphqlContext) =>
        agentFields(await memgate.agents.create(context.principal, createAgentBody(args.input))),
      deleteAgent: async (_root: Root, args: { id: string }, context: GraphqlContext) => {
        context.request.agentId = args.id;
        await memgate.agents.delete(context.principal, args.id);
        return true;
      },
      updateAgent: async (_root: Root, args: { id: string; input: UpdateAgentInput }, context: GraphqlContext) => {
        context.request.agentId = args.id;
        return agentFields(await memgate.agents.update(context.principal, args.id, updateAgentBody(args.input)));
      },
      updateMemory: (
        _root: Root,
        args: { agentId: string; label: string; value: string; version?: number | null },
        context: GraphqlContext,
      ) => editAgentBlock(memgate, args, context),
      createBlock: async (_root: Root, args: { input: BlockInput }, context: GraphqlContext) =>
        blockFields(await memgate.blocks.create(context.principal, blockBody(args.input))),
      updateBlock: async (_root: Root, args: { id: string; input: UpdateBlockInput }, context: GraphqlContext) =>
        blockFields(await memgate.blocks.update(context.principal, args.id, blockBody(args.input))),
      deleteBlock: async (_root: Root, args: { id: string; force?: boolean | null }, context: GraphqlContext) => {
        await memgate.blocks.delete(context.principal, args.id, args.force ? { force: 'true' } : {});
        return true;
      },
      attachBlock: async (_root: Root, args: { agentId: string; blockId: string }, context: GraphqlContext) => {
        context.request.agentId = args.agentId;
        return agentFields(await memgate.blocks.attach(context.principal, args.agentId, args.blockId));
      },
      detachBlock: async (_root: Root, args: { agentId: string; blockId: string }, context: GraphqlContext) => {
        context.request.agentId = args.agentId;
        await memgate.blocks.detach(context.principal, args.agentId, args.blockId);
        return true;
      },
      createConversation: async (
        _root: Root,
        args: { agentId: string; input?: ConversationInput | null },
        context: GraphqlContext,
      ) => {
        context.request.agentId = args.agentId;
        const body = conversationBody(args.input);
        return conversationFields(await memgate.conversations.create(context.principal, args.agentId, body));
      },
      updateConversation: async (
        _root: Root,
        args: ConversationArgs & { input: ConversationInput },
        context: GraphqlContext,
      ) => {
        context.request.agentId = args.agentId;
        const body = conversationBody(args.input);
        return conversationFields(await memgate.conversations.update(context.principal, args.agentId, args.id, body));
      },
      deleteConversation: async (_root: Root, args: ConversationArgs, context: GraphqlContext) => {
        context.request.agentId = args.agentId;
        await memgate.conversations.delete(context.principal, args.agentId, args.id);
        return true;
      },
      forkConversation: async (
        _root: Root,
        args: ConversationArgs & { atMessageId?: string | null; input?: ConversationInput | null },
        context: GraphqlContext,
      ) => {
        context.request.agentId = args.agentId;
        const body = {
          ...conversationBody(args.input),
          ...(args.atMessageId != null && { at_message_id: args.atMessageId }),
        };
        return conversationFields(await memgate.conversations.fork(context.principal, args.agentId, args.id, body));
      },
      rewindConversation: async (
        _root: Root,
        args: ConversationArgs & { toMessageId: string },
        context: GraphqlContext,
      ) => {
        context.request.agentId = args.agentId;
        const body = { to_message_id: args.toMessageId };
        const rewound = await memgate.conversations.rewind(context.principal, args.agentId, args.id, body);
        return { conversation: conversationFields(rewound.conversation), hidden: rewound.hidden };
      },
      restoreConversation: async (_root: Root, args: ConversationArgs, context: GraphqlContext) => {
        context.request.agentId = args.agentId;
        const restored = await memgate.conversations.restore(context.principal, args.agentId, args.id);
        return { conversation: conversationFields(restored.conversation), restored: restored.restored };
      },
      createChatCompletion: async (_root: Root, args: { input: ChatCompletionInput }, context: GraphqlContext) => {
        const abort = linkedAbort(context.signal);
        const timing: TurnTiming = { upstreamMs: 0, upstreamCalls: 0 };
        try {
          const body = chatRequestBody(args.input, false);
          const call = {
            signal: abort.controller.signal,
            timing,
            context: coreContext(context.request),
            ...(args.input.conversationId != null && { conversationId: args.input.conversationId }),
          };
          return completionFields(await memgate.chat.complete(context.principal, body, call));
        } finally {
          context.request.agentId = timing.agentId ?? null;
          abort.unlink();
        }
      },
    },
    Subscription: {
      chatCompletionStream: {
        // Starts the turn before returning, so a refused request is the operation's error.
        subscribe: async (_root: Root, args: { input: ChatCompletionInput }, context: GraphqlContext) =>
          counted(
            await openChatStream(memgate, {
              principal: context.principal,
              body: chatRequestBody(args.input, true),
              signal: context.signal,
              request: context.request,
              ...(args.input.conversationId != null && { conversationId: args.input.conversationId }),
            }),
            subscriptions,
          ),
        resolve: (event: ChatStreamEvent, _args: unknown, context: GraphqlContext) => {
          if ('error' in event) throw tagError(event.error, context.request.requestId);
          return chunkFields(event.chunk);
        },
      },
      agentEvents: {
        subscribe: async (_root: Root, args: { agentId: string }, context: GraphqlContext) => {
          // Another user's agent is as absent as a missing one: NOT_FOUND before any subscription.
          context.request.agentId = args.agentId;
          await memgate.agents.get(context.principal, args.agentId);
          // Ends at shutdown, or when an SSE client leaves: yoga may drop the iterator unreturned.
          const end = context.signal ? AbortSignal.any([shutdown, context.signal]) : shutdown;
          return counted(agentEventSource(memgate.events, args.agentId, end), subscriptions);
        },
        resolve: (event: AgentEventItem) => agentEventFields(event),
      },
    },
  };
}

/** Counts a subscription in `memgate_graphql_subscriptions` until its iterator ends or is returned. */
function counted<T>(
  iterator: AsyncIterableIterator<T>,
  gauge: Observability['metrics']['graphqlSubscriptions'],
): AsyncIterableIterator<T> {
  gauge.inc();
  let open = true;
  const finish = () => {
    if (open) gauge.dec();
    open = false;
  };
  const wrapped: AsyncIterableIterator<T> = {
    async next() {
      try {
        const result = await iterator.next();
        if (result.done) finish();
        return result;
      } catch (error) {
        finish();
        throw error;
      }
    },
    async return(value?: unknown) {
      finish();
      return (await iterator.return?.(value)) ?? { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => wrapped,
  };
  return wrapped;
}
