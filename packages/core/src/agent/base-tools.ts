import type { LlmToolDefinition } from '../llm/provider.ts';
import { archivalMemoryInsert, archivalMemorySearch, conversationSearch } from './archival-tools.ts';
import { coreMemoryAppend, coreMemoryReplace } from './core-memory-tools.ts';
import { type AgentTool, fn } from './tool-helpers.ts';

export type { AgentTool, ToolContext, ToolOutcome } from './tool-helpers.ts';
export { toolFailure } from './tool-helpers.ts';

export const SEND_MESSAGE = 'send_message';

export const sendMessageDefinition = fn(
  SEND_MESSAGE,
  'Sends a message to the human user. This is the only way the user sees anything you say.',
  { message: { type: 'string', description: 'Message contents. All unicode (including emojis) are supported.' } },
  ['message'],
);

/** The agent's own tools besides send_message, by name (contract §6). */
export const BASE_AGENT_TOOLS: ReadonlyMap<string, AgentTool> = new Map([
  ['core_memory_append', coreMemoryAppend],
  ['core_memory_replace', coreMemoryReplace],
  ['archival_memory_insert', archivalMemoryInsert],
  ['archival_memory_search', archivalMemorySearch],
  ['conversation_search', conversationSearch],
]);

/** Every name a client tool may not take. */
export function isReservedToolName(name: string, tools: ReadonlyMap<string, AgentTool> = BASE_AGENT_TOOLS): boolean {
  return name === SEND_MESSAGE || tools.has(name);
}

/**
 * The tool schemas an agent is offered: send_message first (typed, in a structured turn), then its
 * own tools.
 */
export function agentToolDefinitions(
  tools: ReadonlyMap<string, AgentTool> = BASE_AGENT_TOOLS,
  sendMessage: LlmToolDefinition = sendMessageDefinition,
): LlmToolDefinition[] {
  return [sendMessage, ...[...tools.values()].map((tool) => tool.definition)];
}
