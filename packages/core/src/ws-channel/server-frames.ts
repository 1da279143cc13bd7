import type { BlockActor } from '../domain/types.ts';
import { type ErrorObject, MemgateError, toErrorObject } from '../errors/memgate-error.ts';
import type { AgentEvent } from '../events/event-bus.ts';
import type { CallerLimits } from '../limits/limit-schemas.ts';
import type { ChatCompletion, ChatCompletionChunk } from '../schemas/chat-response.ts';
import {
  type MemoryBlockResource,
  type MessageResource,
  memoryBlockResource,
  messageResource,
} from '../services/resources.ts';
import type { UsageReport } from '../usage/usage-schemas.ts';

/** OpenAI's error object plus the HTTP status REST would have answered. */
export interface ChannelErrorObject extends ErrorObject {
  status: number;
}

/** First frame after authentication. */
export interface SessionCreatedFrame {
  type: 'session.created';
  session_id: string;
  /** How many `chat.completion.create` may run at once on this connection. */
  max_in_flight: number;
}

/** One chunk of a turn: the same object REST streams as SSE `data:`. */
export interface CompletionChunkFrame {
  type: 'chat.completion.chunk';
  request_id: string;
  /** The turn's id in logs, upstream `x-request-id` and `error.request_id` (see `CompletionRun`). */
  trace_id: string;
  chunk: ChatCompletionChunk;
}

export type CompletionDoneStatus = 'completed' | 'cancelled' | 'failed';

/** Ends every turn that started streaming, exactly once. */
export interface CompletionDoneFrame {
  type: 'chat.completion.done';
  request_id: string;
  /** The turn's id in logs, upstream `x-request-id` and `error.request_id`. */
  trace_id: string;
  status: CompletionDoneStatus;
  /** The whole turn as one `chat.completion` when `completed`, else null. */
  completion: ChatCompletion | null;
  /** Present when `failed`. */
  error?: ChannelErrorObject;
}

/** A live event of a subscribed agent. */
export interface AgentEventFrame {
  type: 'agent.event';
  agent_id: string;
  /** The conversation of the event's message; null for a block event (memory is the agent's). */
  conversation_id: string | null;
  event:
    | { type: 'message.created'; message: MessageResource }
    | { type: 'block.updated'; block: MemoryBlockResource; actor: BlockActor; by_agent_id: string | null };
}

/** Acknowledges `agent.subscribe` / `agent.unsubscribe`: events flow from the ack on. */
export interface AgentSubscriptionFrame {
  type: 'agent.subscribed' | 'agent.unsubscribed';
  agent_id: string;
}

/** A refused frame; the connection stays open. */
export interface ErrorFrame {
  type: 'error';
  /** The request the error is about (a create refused before it started, a bad cancel). */
  request_id?: string;
  /** The agent the error is about (a refused subscription). */
  agent_id?: string;
  error: ChannelErrorObject;
}

export interface PongFrame {
  type: 'pong';
}

/** Answers `usage.get` with what `GET /v1/usage` answers. */
export interface UsageFrame {
  type: 'usage';
  request_id: string;
  usage: UsageReport;
}

/** Answers `limits.get` with what `GET /v1/limits` answers. */
export interface LimitsFrame {
  type: 'limits';
  request_id: string;
  limits: CallerLimits;
}

/** Every frame the server sends on the chat channel (contract §8). */
export type ServerFrame =
  | SessionCreatedFrame
  | CompletionChunkFrame
  | CompletionDoneFrame
  | AgentEventFrame
  | AgentSubscriptionFrame
  | ErrorFrame
  | PongFrame
  | UsageFrame
  | LimitsFrame;

/** Normalises anything thrown into the channel's error object. */
export function channelErrorObject(error: unknown, traceId?: string): ChannelErrorObject {
  const normalised = MemgateError.fromUnknown(error);
  return { ...toErrorObject(normalised, traceId), status: normalised.status };
}

/**
 * The `error` event for anything thrown, naming the request or agent it concerns; `traceId` (the
 * turn's, else the connection's id) goes into `error.request_id` as on REST.
 */
export function errorFrame(
  error: unknown,
  about: { requestId?: string; agentId?: string; traceId?: string } = {},
): ErrorFrame {
  return {
    type: 'error',
    ...(about.requestId === undefined ? {} : { request_id: about.requestId }),
    ...(about.agentId === undefined ? {} : { agent_id: about.agentId }),
    error: channelErrorObject(error, about.traceId),
  };
}

export function agentEventFrame(event: AgentEvent): AgentEventFrame {
  if (event.type === 'block.updated') {
    return {
      type: 'agent.event',
      agent_id: event.agentId,
      conversation_id: null,
      event: {
        type: event.type,
        block: memoryBlockResource(event.block),
        actor: event.actor,
        by_agent_id: event.byAgentId,
      },
    };
  }
  return {
    type: 'agent.event',
    agent_id: event.agentId,
    conversation_id: event.conversationId,
    event: { type: event.type, message: messageResource(event.message) },
  };
}
