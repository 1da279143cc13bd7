import type { Agent, ContextSummary, MemoryBlock } from '../domain/types.ts';

/** The MemGPT base instructions new agents get unless created with their own `system`. */
export const DEFAULT_SYSTEM_PROMPT = `You are a persistent conversational agent with long-term memory.
Your core memory (below) is always in view: the <persona> block is who you are, the <human> block is what you know about the user.
Keep them current with core_memory_append and core_memory_replace whenever you learn something worth remembering.
Archival memory is your unlimited long-term store: save facts, notes and documents with archival_memory_insert and find them again with archival_memory_search.
Your context window holds only the recent conversation; older messages are summarised below and stay searchable with conversation_search.
The user only sees what you send with the send_message tool; anything else you write is private inner monologue.
Set request_heartbeat to true on a tool call when you need to keep working after it (for example, update memory, then send a message).`;

export const DEFAULT_PERSONA = 'I am a helpful assistant with a long-term memory. I am warm, concise and curious.';
export const DEFAULT_HUMAN = '';
export const DEFAULT_BLOCK_LIMIT = 5000;

/**
 * One block as the agent sees it: its label, size against its limit, and value. A block with a
 * description, or a read-only one, says so first, as Letta renders its blocks, so that the agent
 * knows what a block it did not create is for.
 */
function renderBlock(block: MemoryBlock): string {
  const usage = `(${block.label}: ${block.value.length}/${block.limit} characters used${block.readOnly ? ', read-only' : ''})`;
  const description = block.description ? `<description>${block.description}</description>\n` : '';
  return `${usage}\n${description}<${block.label}>\n${block.value}\n</${block.label}>`;
}

/** The core memory section of the system prompt. */
export function renderMemorySection(memory: MemoryBlock[]): string {
  return `### Core memory\n${memory.map(renderBlock).join('\n')}`;
}

/** The recursive summary section of the system prompt; empty while nothing has left the context. */
export function renderSummarySection(summary: ContextSummary | null): string {
  if (!summary) return '';
  return (
    `### Summary of earlier conversation\n` +
    `(${summary.messageCount} older messages have left your context window; conversation_search still finds them.)\n` +
    summary.text
  );
}

/**
 * The system prompt sent upstream: the agent's instructions, its memory blocks, and the summary of
 * the conversation that no longer fits its context window.
 */
export function compileSystemPrompt(
  agent: Pick<Agent, 'system'>,
  memory: MemoryBlock[],
  summary: ContextSummary | null = null,
): string {
  return [agent.system, renderMemorySection(memory), renderSummarySection(summary)]
    .filter((section) => section !== '')
    .join('\n\n');
}
