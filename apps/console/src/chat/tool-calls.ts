/** A tool call as stored on an assistant message (`AgentMessage.toolCalls`, OpenAI's shape). */
export interface StoredToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** The agent's own tools: run by the server, never a prompt for the user. */
const AGENT_TOOLS = new Set([
  'send_message',
  'core_memory_append',
  'core_memory_replace',
  'archival_memory_insert',
  'archival_memory_search',
  'conversation_search',
]);

export const SEND_MESSAGE = 'send_message';

/** Whether the server runs this tool itself (the agent's own tools); others are client or MCP tools. */
export function isAgentTool(name: string): boolean {
  return AGENT_TOOLS.has(name);
}

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** Reads `toolCalls` (JSON from the server): calls without an id or a name are skipped, not guessed. */
export function toolCallsOf(value: unknown): StoredToolCall[] {
  if (!Array.isArray(value)) return [];
  const calls: StoredToolCall[] = [];
  for (const item of value) {
    const call = record(item);
    const fn = record(call?.['function']);
    const id = call?.['id'];
    const name = fn?.['name'];
    if (typeof id !== 'string' || typeof name !== 'string') continue;
    const args = fn?.['arguments'];
    calls.push({ id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) });
  }
  return calls;
}

/** The text a send_message call carried, or null when its arguments are not the expected JSON. */
export function sentText(call: StoredToolCall): string | null {
  try {
    const message = record(JSON.parse(call.arguments))?.['message'];
    if (message === undefined || message === null) return null;
    // A structured turn's send_message carries its reply as JSON.
    return typeof message === 'string' ? message : JSON.stringify(message);
  } catch {
    return null;
  }
}

/** JSON shown indented when it parses, as it came otherwise (tool arguments and results). */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
