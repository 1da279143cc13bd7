import type { Agent, MemoryBlock } from '../domain/types.ts';

/** The MemGPT base instructions new agents get unless created with their own `system`. */
export const DEFAULT_SYSTEM_PROMPT = `You are a persistent conversational agent with long-term memory.
Your core memory (below) is always in view: the <persona> block is who you are, the <human> block is what you know about the user.
Keep them current with core_memory_append and core_memory_replace whenever you learn something worth remembering.
The user only sees what you send with the send_message tool; anything else you write is private inner monologue.
Set request_heartbeat to true on a tool call when you need to keep working after it (for example, update memory, then send a message).`;

export const DEFAULT_PERSONA = 'I am a helpful assistant with a long-term memory. I am warm, concise and curious.';
export const DEFAULT_HUMAN = '';
export const DEFAULT_BLOCK_LIMIT = 5000;

function renderBlock(block: MemoryBlock): string {
  return `(${block.label}: ${block.value.length}/${block.limit} characters used)\n<${block.label}>\n${block.value}\n</${block.label}>`;
}

/** The system prompt sent upstream: the agent's instructions with its memory blocks rendered in. */
export function compileSystemPrompt(agent: Pick<Agent, 'system'>, memory: MemoryBlock[]): string {
  const blocks = memory.map(renderBlock).join('\n');
  return `${agent.system}\n\n### Core memory\n${blocks}`;
}
