import type { MemoryBlock } from '../domain/types.ts';
import type { LlmToolDefinition } from '../llm/provider.ts';

/** What running an agent tool produced, as the agent will read it. */
export interface ToolOutcome {
  /** Text returned to the agent as the tool message. */
  result: string;
  failed: boolean;
}

/** The agent-side state a tool may read and change during one step. */
export interface ToolContext {
  /** The agent's core memory; tools mutate values here, the loop persists what changed. */
  memory: MemoryBlock[];
  changedLabels: Set<string>;
}

export interface AgentTool {
  definition: LlmToolDefinition;
  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome> | ToolOutcome;
}

const heartbeatParameter = {
  type: 'boolean',
  description: 'Request an immediate heartbeat after the call: set it to true to keep working (chain tools).',
};

function fn(name: string, description: string, properties: Record<string, unknown>, required: string[]) {
  return {
    type: 'function' as const,
    function: {
      name,
      description,
      parameters: { type: 'object', properties, required },
    },
  };
}

export const SEND_MESSAGE = 'send_message';

export const sendMessageDefinition = fn(
  SEND_MESSAGE,
  'Sends a message to the human user. This is the only way the user sees anything you say.',
  { message: { type: 'string', description: 'Message contents. All unicode (including emojis) are supported.' } },
  ['message'],
);

function ok(message: string): ToolOutcome {
  return { result: JSON.stringify({ status: 'OK', message }), failed: false };
}

/** A failure the agent sees and can correct; nothing was changed. */
export function toolFailure(message: string): ToolOutcome {
  return { result: JSON.stringify({ status: 'Failed', message }), failed: true };
}

function stringArgument(args: Record<string, unknown>, name: string): string | ToolOutcome {
  const value = args[name];
  if (typeof value !== 'string') return toolFailure(`Argument "${name}" must be a string.`);
  return value;
}

function findBlock(context: ToolContext, label: unknown): MemoryBlock | ToolOutcome {
  const block = context.memory.find((candidate) => candidate.label === label);
  if (block) return block;
  const labels = context.memory.map((candidate) => candidate.label).join(', ');
  return toolFailure(`No memory block labelled "${String(label)}". Blocks: ${labels}.`);
}

function writeBlock(context: ToolContext, block: MemoryBlock, value: string): ToolOutcome {
  if (value.length > block.limit) {
    return toolFailure(
      `Edit refused: the "${block.label}" block would hold ${value.length} characters, over its limit of ${block.limit}. ` +
        'Shorten or replace existing content instead.',
    );
  }
  block.value = value;
  context.changedLabels.add(block.label);
  return ok(`Block "${block.label}" updated (${value.length}/${block.limit} characters).`);
}

const coreMemoryAppend: AgentTool = {
  definition: fn(
    'core_memory_append',
    'Append to the contents of a core memory block.',
    {
      label: { type: 'string', description: 'Block to edit (e.g. "human" or "persona").' },
      content: { type: 'string', description: 'Content to append. All unicode is supported.' },
      request_heartbeat: heartbeatParameter,
    },
    ['label', 'content', 'request_heartbeat'],
  ),
  run(args, context) {
    const block = findBlock(context, args['label']);
    if ('failed' in block) return block;
    const content = stringArgument(args, 'content');
    if (typeof content !== 'string') return content;
    return writeBlock(context, block, block.value ? `${block.value}\n${content}` : content);
  },
};

const coreMemoryReplace: AgentTool = {
  definition: fn(
    'core_memory_replace',
    'Replace the contents of a core memory block. To delete memories, use an empty string for new_content.',
    {
      label: { type: 'string', description: 'Block to edit (e.g. "human" or "persona").' },
      old_content: { type: 'string', description: 'String to replace. Must be an exact match.' },
      new_content: { type: 'string', description: 'Content to write. All unicode is supported.' },
      request_heartbeat: heartbeatParameter,
    },
    ['label', 'old_content', 'new_content', 'request_heartbeat'],
  ),
  run(args, context) {
    const block = findBlock(context, args['label']);
    if ('failed' in block) return block;
    const oldContent = stringArgument(args, 'old_content');
    if (typeof oldContent !== 'string') return oldContent;
    const newContent = stringArgument(args, 'new_content');
    if (typeof newContent !== 'string') return newContent;
    if (oldContent === '' || !block.value.includes(oldContent)) {
      return toolFailure(`old_content was not found in the "${block.label}" block; it must match exactly.`);
    }
    return writeBlock(context, block, block.value.replace(oldContent, newContent));
  },
};

/** The agent's own tools besides send_message, by name. */
export const BASE_AGENT_TOOLS: ReadonlyMap<string, AgentTool> = new Map([
  ['core_memory_append', coreMemoryAppend],
  ['core_memory_replace', coreMemoryReplace],
]);

/** Every name a client tool may not take. */
export function isReservedToolName(name: string, tools: ReadonlyMap<string, AgentTool> = BASE_AGENT_TOOLS): boolean {
  return name === SEND_MESSAGE || tools.has(name);
}
