import type { Memgate } from '@memgate/core';
import type { GraphqlContext } from '../graphql-context.ts';
import { type AgentEventItem, agentEventSource } from '../streams/agent-event-source.ts';
import { type ChatStreamEvent, openChatStream } from '../streams/chat-stream-source.ts';
import { linkedAbort } from '../streams/linked-abort.ts';
import { agentEventFields, agentFields, messageFields } from './agent-output.ts';
import {
  type ChatCompletionInput,
  type CreateAgentInput,
  chatRequestBody,
  createAgentBody,
  present,
} from './chat-input.ts';
import { chunkFields, completionFields } from './chat-output.ts';
import { jsonScalar } from './json-scalar.ts';

type Root = unknown;

interface MessagesArgs {
  agentId: string;
  limit?: number | null;
  before?: string | null;
}

/**
 * The resolvers: each translates its GraphQL arguments into one core call and the result back
 * into GraphQL types. Validation, ownership and every chat rule live in the core.
 * `shutdown` aborts when the app closes, ending the open-ended `agentEvents` streams.
 */
export function createResolvers(memgate: Memgate, shutdown: AbortSignal) {
  return {
    JSON: jsonScalar,
    Query: {
      agents: async (_root: Root, _args: unknown, context: GraphqlContext) =>
        (await memgate.agents.list(context.principal)).map(agentFields),
      agent: async (_root: Root, args: { id: string }, context: GraphqlContext) =>
        agentFields(await memgate.agents.get(context.principal, args.id)),
      messages: async (_root: Root, args: MessagesArgs, context: GraphqlContext) => {
        const page = present({ limit: args.limit, before: args.before });
        return (await memgate.agents.messages(context.principal, args.agentId, page)).map(messageFields);
      },
    },
    Mutation: {
      createAgent: async (_root: Root, args: { input: CreateAgentInput }, context: GraphqlContext) =>
        agentFields(await memgate.agents.create(context.principal, createAgentBody(args.input))),
      deleteAgent: async (_root: Root, args: { id: string }, context: GraphqlContext) => {
        await memgate.agents.delete(context.principal, args.id);
        return true;
      },
      createChatCompletion: async (_root: Root, args: { input: ChatCompletionInput }, context: GraphqlContext) => {
        const abort = linkedAbort(context.signal);
        try {
          const body = chatRequestBody(args.input, false);
          return completionFields(
            await memgate.chat.complete(context.principal, body, { signal: abort.controller.signal }),
          );
        } finally {
          abort.unlink();
        }
      },
    },
    Subscription: {
      chatCompletionStream: {
        // Starts the turn before returning, so a refused request is the operation's error.
        subscribe: (_root: Root, args: { input: ChatCompletionInput }, context: GraphqlContext) =>
          openChatStream(memgate, {
            principal: context.principal,
            body: chatRequestBody(args.input, true),
            signal: context.signal,
          }),
        resolve: (event: ChatStreamEvent) => {
          if ('error' in event) throw event.error;
          return chunkFields(event.chunk);
        },
      },
      agentEvents: {
        subscribe: async (_root: Root, args: { agentId: string }, context: GraphqlContext) => {
          // Another user's agent is as absent as a missing one: NOT_FOUND before any subscription.
          await memgate.agents.get(context.principal, args.agentId);
          return agentEventSource(memgate.events, args.agentId, shutdown);
        },
        resolve: (event: AgentEventItem) => agentEventFields(event),
      },
    },
  };
}
