import { randomUUID } from 'node:crypto';
import type { MemoryBlock, NewMessage, NewPassage, ToolCall } from '../domain/types.ts';
import { isAbortError } from '../errors/memgate-error.ts';
import type { ArchivalMemory } from '../memory/archival-memory.ts';
import type { RecallMemory } from '../memory/recall-memory.ts';
import type { TelemetrySpan } from '../telemetry/telemetry.ts';
import type { UsageLog } from '../usage/usage-log.ts';
import { type AgentTool, SEND_MESSAGE, type ToolContext, type ToolOutcome, toolFailure } from './base-tools.ts';
import { type ReplyFormat, repairInstruction, structuredReply } from './reply-format.ts';

export interface ToolExecutionInput {
  /** Each tool run is a child of this span (the step's). */
  span?: TelemetrySpan;
  agentId: string;
  conversationId: string;
  /** The calls of one assistant message, in order. */
  calls: ToolCall[];
  tools: ReadonlyMap<string, AgentTool>;
  clientToolNames: ReadonlySet<string>;
  /** The agent's working memory; changed in place. */
  memory: MemoryBlock[];
  /** Indexes of send_message calls whose text was already relayed while streaming. */
  streamedSends: ReadonlySet<number>;
  archival: ArchivalMemory;
  recall: RecallMemory;
  /** The structured reply's format, when the turn has one: send_message carries JSON, validated. */
  replyFormat?: ReplyFormat | null;
  /** Tool results longer than this are cut, with a note saying so. */
  maxResultCharacters: number;
  /** An ephemeral turn: memory-writing tools refuse. */
  readOnly: boolean;
  signal?: AbortSignal;
  /** The turn's usage records, for the tools' embedding calls. */
  usage?: UsageLog;
}

export interface ToolExecutionResult {
  /** Tool messages to store, one per agent-side call. */
  toolMessages: NewMessage[];
  memoryChanges: { label: string; value: string; version?: number }[];
  /** Archival passages the calls inserted, to commit with the step. */
  newPassages: NewPassage[];
  sentMessages: { message: string; streamed: boolean }[];
  /** Why structured replies of this step were refused (each one was answered with a repair request). */
  rejectedReplies: string[];
  /** Client tool calls (and calls awaiting the client's approval), left for the client. */
  pending: ToolCall[];
  /** True when a call asked for a heartbeat or failed: the agent gets another step. */
  continueLoop: boolean;
}

/** A tool call's arguments as an object; null when they are not a JSON object. */
export function parseArguments(raw: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(raw || '{}');
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Runs the agent-side tool calls of one step, in order, and sets client calls aside. */
export async function executeToolCalls(input: ToolExecutionInput): Promise<ToolExecutionResult> {
  const context: ToolContext = {
    agentId: input.agentId,
    conversationId: input.conversationId,
    memory: input.memory,
    changedLabels: new Set(),
    archival: input.archival,
    recall: input.recall,
    newPassages: [],
    maxResultCharacters: input.maxResultCharacters,
    readOnly: input.readOnly,
    signal: input.signal,
    ...(input.usage && { usage: input.usage }),
  };
  const result: ToolExecutionResult = {
    toolMessages: [],
    memoryChanges: [],
    newPassages: context.newPassages,
    sentMessages: [],
    rejectedReplies: [],
    pending: [],
    continueLoop: false,
  };
  for (const [index, call] of input.calls.entries()) {
    const name = call.function.name;
    if (input.clientToolNames.has(name) || input.tools.get(name)?.requiresApproval) {
      result.pending.push(call);
      continue;
    }
    const args = parseArguments(call.function.arguments);
    let outcome: ToolOutcome;
    if (!args) {
      outcome = toolFailure(`The arguments of ${name} are not a valid JSON object.`);
    } else if (name === SEND_MESSAGE && input.replyFormat) {
      outcome = sendStructured(input.replyFormat, args['message'], result);
    } else if (name === SEND_MESSAGE) {
      const message = args['message'];
      if (typeof message === 'string') {
        result.sentMessages.push({ message, streamed: input.streamedSends.has(index) });
        outcome = { result: JSON.stringify({ status: 'OK', message: 'Sent.' }), failed: false };
      } else {
        outcome = toolFailure('send_message needs a string "message" argument.');
      }
    } else {
      const tool = input.tools.get(name);
      outcome = tool
        ? await runTraced(tool, { call, args, context }, input.span)
        : toolFailure(`There is no tool named "${name}".`);
    }
    if (outcome.failed || (args && isHeartbeat(args['request_heartbeat']))) result.continueLoop = true;
    result.toolMessages.push({
      id: `message-${randomUUID()}`,
      agentId: input.agentId,
      role: 'tool',
      content: truncateResult(outcome.result, input.maxResultCharacters),
      toolCalls: null,
      toolCallId: call.id,
      name,
      createdAt: new Date().toISOString(),
    });
  }
  for (const label of context.changedLabels) {
    const block = input.memory.find((candidate) => candidate.label === label);
    // The version the edit was made from: the store writes it only over that version.
    if (block) result.memoryChanges.push({ label, value: block.value, version: block.version });
  }
  return result;
}

/** A structured send_message: delivered once it validates, else answered with what to repair. */
function sendStructured(format: ReplyFormat, message: unknown, result: ToolExecutionResult): ToolOutcome {
  // One JSON document is the reply: a second send in the same step would make it two.
  if (result.sentMessages.length > 0) return toolFailure('The reply was already sent; this one was not delivered.');
  const reply = structuredReply(format, message);
  if ('problem' in reply) {
    result.rejectedReplies.push(reply.problem);
    return toolFailure(repairInstruction(format, reply.problem));
  }
  result.sentMessages.push({ message: reply.json, streamed: false });
  return { result: JSON.stringify({ status: 'OK', message: 'Sent.' }), failed: false };
}

async function runTraced(
  tool: AgentTool,
  run: { call: ToolCall; args: Record<string, unknown>; context: ToolContext },
  parent: TelemetrySpan | undefined,
): Promise<ToolOutcome> {
  const { call, args, context } = run;
  const name = tool.definition.function.name;
  const span = parent?.child('tool', { name, callId: call.id, arguments: call.function.arguments });
  try {
    const outcome = await runSafely(tool, args, context);
    span?.end({ failed: outcome.failed, output: outcome.result });
    return outcome;
  } catch (error) {
    span?.end({ failed: true }, error);
    throw error;
  }
}

/** A tool that throws is a failed call the agent sees, not a failed turn. */
export async function runSafely(
  tool: AgentTool,
  args: Record<string, unknown>,
  context: ToolContext,
): Promise<ToolOutcome> {
  try {
    return await tool.run(args, context);
  } catch (error) {
    // A cancelled turn stops here; it is not a failure for the agent to retry.
    if (isAbortError(error)) throw error;
    return toolFailure(`The tool failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * A result too long for the agent's context is cut, with a note the agent can act on: a tool
 * result must never be what overflows the window.
 */
export function truncateResult(result: string, maxCharacters: number): string {
  if (result.length <= maxCharacters) return result;
  return (
    `${result.slice(0, maxCharacters)}\n[Result truncated: ${result.length} characters, only the first ` +
    `${maxCharacters} are shown. Ask for less, for example a narrower query or another page.]`
  );
}

/** The result limit for an agent: a tenth of its window (about 4 characters a token), within bounds. */
export function toolResultLimit(contextWindow: number): number {
  return Math.min(32_000, Math.max(2_000, Math.floor(contextWindow * 0.4)));
}

function isHeartbeat(value: unknown): boolean {
  return value === true || value === 'true';
}
