import type { MemoryBlock } from '../domain/types.ts';
import {
  type AgentTool,
  fn,
  heartbeatParameter,
  ok,
  readOnlyMemory,
  stringArgument,
  type ToolContext,
  type ToolOutcome,
  toolFailure,
} from './tool-helpers.ts';

function findBlock(context: ToolContext, label: unknown): MemoryBlock | ToolOutcome {
  const block = context.memory.find((candidate) => candidate.label === label);
  if (block) return block;
  const labels = context.memory.map((candidate) => candidate.label).join(', ');
  return toolFailure(`No memory block labelled "${String(label)}". Blocks: ${labels}.`);
}

function writeBlock(context: ToolContext, block: MemoryBlock, value: string): ToolOutcome {
  if (context.readOnly) return readOnlyMemory();
  if (block.readOnly) {
    return toolFailure(`Edit refused: the "${block.label}" block is read-only; it can be read but not changed.`);
  }
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

export const coreMemoryAppend: AgentTool = {
  editsMemory: true,
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

export const coreMemoryReplace: AgentTool = {
  editsMemory: true,
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
