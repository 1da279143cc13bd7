import type { MemoryBlock } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { ArchivalMemory } from '../memory/archival-memory.ts';
import type { RecallMemory } from '../memory/recall-memory.ts';
import type { TurnStep } from '../store/store.ts';
import { parseArguments, runSafely, truncateResult } from './tool-execution.ts';
import type { AgentTool, ToolContext } from './tool-helpers.ts';

/** True for the store's answer to a memory write made from an older version (see `TurnStep.memory`). */
export function isMemoryConflict(error: unknown): error is MemgateError {
  return error instanceof MemgateError && error.code === 'CONFLICT' && error.detailCode === 'memory_conflict';
}

export interface ReapplyOptions {
  tools: ReadonlyMap<string, AgentTool>;
  archival: ArchivalMemory;
  recall: RecallMemory;
  maxResultCharacters: number;
  signal?: AbortSignal;
}

/**
 * A step whose memory edits lost a race with another conversation of the agent, made again on the
 * latest memory: each memory tool call of the step runs again, in order, on a copy of `latest`, and
 * its tool message gets the new result. An edit that no longer applies (its old text is gone, the
 * block would overflow) becomes a failure the agent reads, as if it had met that memory in the
 * first place. Returns the step to store and the memory the turn goes on with.
 */
export async function reapplyMemoryEdits(
  step: TurnStep,
  latest: readonly MemoryBlock[],
  options: ReapplyOptions,
): Promise<{ step: TurnStep; memory: MemoryBlock[] }> {
  const memory = latest.map((block) => ({ ...block }));
  const context: ToolContext = {
    agentId: step.agentId,
    conversationId: step.conversationId ?? step.agentId,
    memory,
    changedLabels: new Set(),
    archival: options.archival,
    recall: options.recall,
    newPassages: [],
    maxResultCharacters: options.maxResultCharacters,
    readOnly: false,
    signal: options.signal,
  };
  const results = new Map<string, string>();
  for (const message of step.messages) {
    for (const call of message.toolCalls ?? []) {
      const tool = options.tools.get(call.function.name);
      if (!tool?.editsMemory) continue;
      const args = parseArguments(call.function.arguments);
      // Arguments that did not parse were refused before, and would be again: the result stands.
      if (!args) continue;
      const outcome = await runSafely(tool, args, context);
      results.set(call.id, truncateResult(outcome.result, options.maxResultCharacters));
    }
  }
  const messages = step.messages.map((message) => {
    const result = message.role === 'tool' && message.toolCallId ? results.get(message.toolCallId) : undefined;
    return result === undefined ? message : { ...message, content: result, tokenCount: undefined };
  });
  const changes = [...context.changedLabels].flatMap((label) => {
    const block = memory.find((candidate) => candidate.label === label);
    return block ? [{ label, value: block.value, version: block.version }] : [];
  });
  const reapplied: TurnStep = { ...step, messages };
  if (changes.length > 0) reapplied.memory = changes;
  else delete reapplied.memory;
  return { step: reapplied, memory };
}
