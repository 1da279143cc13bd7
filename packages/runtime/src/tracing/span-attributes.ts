import type { SpanEnd, SpanKind, SpanStart } from '@memgate/core';
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import * as names from './gen-ai-attributes.ts';
import { inputMessagesJson, outputMessagesJson } from './gen-ai-messages.ts';

/** What every span of a process shares: whether content is recorded, and which upstream it calls. */
export interface SpanSettings {
  /** MEMGATE_TRACE_CONTENT: messages, replies, tool arguments and results go into spans. */
  content: boolean;
  /** `gen_ai.provider.name` of upstream calls: `openai` for an OpenAI-compatible API. */
  providerName: string;
  /** The upstream's host and port (`server.address`, `server.port`), when it has one. */
  server: { address: string; port: number } | null;
}

/** A span's name: GenAI names for the model and tool calls, `memgate.*` for the rest. */
export function spanName<K extends SpanKind>(kind: K, attributes: SpanStart[K]): string {
  switch (kind) {
    case 'turn':
      return 'invoke_agent';
    case 'upstream':
      return `chat ${(attributes as SpanStart['upstream']).model}`;
    case 'tool':
      return `execute_tool ${(attributes as SpanStart['tool']).name}`;
    default:
      return `memgate.${kind}`;
  }
}

/** The attributes known when a span starts. */
export function startAttributes<K extends SpanKind>(
  kind: K,
  attributes: SpanStart[K],
  settings: SpanSettings,
): Attributes {
  switch (kind) {
    case 'turn': {
      const turn = attributes as SpanStart['turn'];
      return {
        [names.GEN_AI_OPERATION_NAME]: 'invoke_agent',
        [names.MEMGATE_REQUEST_ID]: turn.requestId,
        [names.MEMGATE_PROTOCOL]: turn.protocol,
        [names.MEMGATE_USER_ID]: turn.userId,
        [names.MEMGATE_STREAMING]: turn.streaming,
      };
    }
    case 'upstream':
      return upstreamStart(attributes as SpanStart['upstream'], settings);
    case 'tool': {
      const tool = attributes as SpanStart['tool'];
      const result: Attributes = {
        [names.GEN_AI_OPERATION_NAME]: 'execute_tool',
        [names.GEN_AI_TOOL_NAME]: tool.name,
        [names.GEN_AI_TOOL_TYPE]: 'function',
      };
      if (tool.callId) result[names.GEN_AI_TOOL_CALL_ID] = tool.callId;
      if (settings.content && tool.arguments !== undefined) result[names.GEN_AI_TOOL_CALL_ARGUMENTS] = tool.arguments;
      return result;
    }
    case 'step': {
      const step = attributes as SpanStart['step'];
      return { [names.MEMGATE_STEP]: step.index, [names.MEMGATE_AGENT_ID]: step.agentId };
    }
    case 'store.commit': {
      const commit = attributes as SpanStart['store.commit'];
      return { [names.MEMGATE_AGENT_ID]: commit.agentId, [names.MEMGATE_MESSAGES]: commit.messages };
    }
    default:
      return { [names.MEMGATE_AGENT_ID]: (attributes as SpanStart['lock.wait' | 'summarise']).agentId };
  }
}

function upstreamStart(upstream: SpanStart['upstream'], settings: SpanSettings): Attributes {
  const result: Attributes = {
    [names.GEN_AI_OPERATION_NAME]: 'chat',
    [names.GEN_AI_PROVIDER_NAME]: settings.providerName,
    [names.GEN_AI_SYSTEM]: settings.providerName,
    [names.GEN_AI_REQUEST_MODEL]: upstream.model,
    [names.GEN_AI_REQUEST_STREAM]: upstream.streaming,
    [names.MEMGATE_UPSTREAM_PURPOSE]: upstream.purpose,
    [names.MEMGATE_UPSTREAM_ATTEMPT]: upstream.attempt,
  };
  if (settings.server) {
    result[ATTR_SERVER_ADDRESS] = settings.server.address;
    result[ATTR_SERVER_PORT] = settings.server.port;
  }
  if (settings.content && upstream.messages) result[names.GEN_AI_INPUT_MESSAGES] = inputMessagesJson(upstream.messages);
  return result;
}

/** The attributes known when a span ends (its error is reported separately, as its status). */
export function endAttributes<K extends SpanKind>(kind: K, result: SpanEnd[K], settings: SpanSettings): Attributes {
  switch (kind) {
    case 'turn': {
      const turn = result as SpanEnd['turn'];
      const attributes: Attributes = {
        [names.MEMGATE_OUTCOME]: turn.outcome,
        [names.MEMGATE_STEPS]: turn.steps,
        [names.MEMGATE_UPSTREAM_CALLS]: turn.upstreamCalls,
        [names.GEN_AI_USAGE_INPUT_TOKENS]: turn.usage.prompt_tokens,
        [names.GEN_AI_USAGE_OUTPUT_TOKENS]: turn.usage.completion_tokens,
      };
      if (turn.agentId) {
        attributes[names.GEN_AI_AGENT_ID] = turn.agentId;
        attributes[names.MEMGATE_AGENT_ID] = turn.agentId;
      }
      if (turn.model) attributes[names.GEN_AI_REQUEST_MODEL] = turn.model;
      if (turn.finishReason) attributes[names.GEN_AI_RESPONSE_FINISH_REASONS] = [turn.finishReason];
      return attributes;
    }
    case 'upstream': {
      const upstream = result as SpanEnd['upstream'];
      const attributes: Attributes = {};
      if (upstream.response) attributes[names.GEN_AI_RESPONSE_MODEL] = upstream.response.model;
      if (upstream.usage) {
        attributes[names.GEN_AI_USAGE_INPUT_TOKENS] = upstream.usage.prompt_tokens;
        attributes[names.GEN_AI_USAGE_OUTPUT_TOKENS] = upstream.usage.completion_tokens;
      }
      if (upstream.finishReason) attributes[names.GEN_AI_RESPONSE_FINISH_REASONS] = [upstream.finishReason];
      if (upstream.status !== null) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = upstream.status;
      if (settings.content && upstream.response) {
        attributes[names.GEN_AI_OUTPUT_MESSAGES] = outputMessagesJson(upstream.response);
      }
      return attributes;
    }
    case 'tool': {
      const tool = result as SpanEnd['tool'];
      if (!settings.content || tool.output === undefined) return {};
      return { [names.GEN_AI_TOOL_CALL_RESULT]: tool.output };
    }
    default:
      return {};
  }
}
