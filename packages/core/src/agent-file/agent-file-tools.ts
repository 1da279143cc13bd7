import { type AgentTool, BASE_AGENT_TOOLS, SEND_MESSAGE, sendMessageDefinition } from '../agent/base-tools.ts';
import type { LlmToolDefinition } from '../llm/provider.ts';

/** Letta's memory tools: memgate's own memory tools take their place, so they are named as replaced. */
export const LETTA_MEMORY_TOOLS: ReadonlySet<string> = new Set([
  'memory',
  'memory_insert',
  'memory_replace',
  'memory_rethink',
  'memory_finish_edits',
  'memory_apply_patch',
]);

/** True for the tools memgate runs itself for every agent (send_message and its memory tools). */
export function isMemgateTool(name: string): boolean {
  return name === SEND_MESSAGE || BASE_AGENT_TOOLS.has(name);
}

/** Letta's tool types for memgate's built-in tools (letta/schemas/enums.py `ToolType`). */
const LETTA_TOOL_TYPES: Record<string, string> = {
  core_memory_append: 'letta_memory_core',
  core_memory_replace: 'letta_memory_core',
};

/** memgate's built-in tools as Letta tool entries: their JSON schemas, no code (they are built in). */
export function exportToolEntries(tools: ReadonlyMap<string, AgentTool>): (Record<string, unknown> & { id: string })[] {
  const definitions: LlmToolDefinition[] = [
    sendMessageDefinition,
    ...[...tools.values()].map((tool) => tool.definition),
  ];
  return definitions.map((definition, index) => {
    const { name, description, parameters } = definition.function;
    return {
      id: `tool-${index}`,
      name,
      tool_type: LETTA_TOOL_TYPES[name] ?? 'letta_core',
      source_type: 'python',
      description: description ?? null,
      tags: [LETTA_TOOL_TYPES[name] ?? 'letta_core'],
      source_code: null,
      json_schema: {
        name,
        description: description ?? '',
        parameters: parameters ?? { type: 'object', properties: {} },
      },
      args_json_schema: null,
      return_char_limit: 6000,
      pip_requirements: null,
      npm_requirements: null,
      metadata_: {},
    };
  });
}
