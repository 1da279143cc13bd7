import { randomUUID } from 'node:crypto';
import { withTokenCount } from '../agent/turn-messages.ts';
import type { NewMessage, StoredRole, ToolCall } from '../domain/types.ts';
import { importUserContent } from './agent-file-images.ts';
import type { AgentFileAgent, AgentFileMessage } from './agent-file-schema.ts';
import type { ImportNotes } from './import-notes.ts';

/** An agent's history as an import stores it. */
export interface ImportedHistory {
  messages: NewMessage[];
  /** Index in `messages` of the first one in the context window (`messages.length`: none is). */
  windowStart: number;
}

const ROLES: Record<string, StoredRole> = { user: 'user', assistant: 'assistant', system: 'system', tool: 'tool' };

/**
 * Maps an agent's Letta messages onto memgate's, each with its prompt size counted. The system
 * message Letta keeps first in the context repeats the system prompt (with memory rendered into
 * it), which memgate renders itself, so it is not stored. `in_context_message_ids` becomes the
 * window: the messages out of Letta's context come first, in the file's order, then the in-context
 * ones in the order Letta put them in the prompt (a summary Letta wrote later sits before the
 * messages it kept), so the agent's next prompt reads as it did in Letta. No list at all: every
 * message is in the window.
 */
export function importHistory(
  agent: AgentFileAgent,
  agentId: string,
  now: string,
  notes: ImportNotes,
): ImportedHistory {
  const fileMessages = agent.messages ?? [];
  const inContext = agent.in_context_message_ids ?? [];
  const systemId = systemMessageId(fileMessages, inContext);
  const toolNames = new Map<string, string>();
  const converted = new Map<string, NewMessage[]>();
  for (const message of fileMessages) {
    if (message.id === systemId) continue;
    converted.set(message.id, importMessage(message, { agentId, fileAgentId: agent.id, now, toolNames, notes }));
  }
  const windowIds = [...new Set(inContext)].filter((id) => id !== systemId);
  const inWindow = new Set(windowIds);
  const before = [...converted].flatMap(([id, messages]) =>
    inContext.length > 0 && !inWindow.has(id) ? messages : [],
  );
  const missing = windowIds.filter((id) => !converted.has(id)).length;
  if (missing > 0) {
    // Letta's exports list every in-context id but hold only the latest messages.
    notes.warn(
      `Agent ${agent.id}: ${missing} of its in-context messages are not in the file; the window holds the ${windowIds.length - missing} it has.`,
    );
  }
  const window =
    inContext.length > 0 ? windowIds.flatMap((id) => converted.get(id) ?? []) : [...converted.values()].flat();
  // Counted once here, as a turn counts what it stores, so that prompts never re-tokenize history.
  return { messages: [...before, ...window].map(withTokenCount), windowStart: before.length };
}

interface MessageContext {
  agentId: string;
  fileAgentId: string;
  now: string;
  /** Tool names by call id, from the calls seen so far: Letta's tool messages often lack `name`. */
  toolNames: Map<string, string>;
  notes: ImportNotes;
}

/** One Letta message as memgate's messages: none (a role memgate lacks), one, or one per parallel tool result. */
function importMessage(message: AgentFileMessage, context: MessageContext): NewMessage[] {
  const { agentId, fileAgentId, now, toolNames, notes } = context;
  const role = message.role === 'function' ? 'tool' : ROLES[message.role];
  if (!role) {
    notes.count(`Agent ${fileAgentId}: messages with role "${message.role}" were not imported`);
    return [];
  }
  const base = { agentId, createdAt: timestamp(message.created_at, now), toolCalls: null, toolCallId: null };
  if (role === 'user') return [importUser(message, base, fileAgentId, notes)];
  const text = contentText(message, fileAgentId, notes);
  if (role === 'tool') return toolResults(message, text, toolNames, base, notes, fileAgentId);
  const toolCalls = role === 'assistant' ? importToolCalls(message) : null;
  for (const call of toolCalls ?? []) toolNames.set(call.id, call.function.name);
  if (role === 'assistant' && text === null && toolCalls === null) {
    // Nothing an upstream would accept in a prompt (e.g. only reasoning parts, counted above).
    notes.count(`Agent ${fileAgentId}: assistant messages without text or tool calls were not imported`);
    return [];
  }
  return [
    {
      ...base,
      id: newMessageId(),
      role,
      content: text,
      toolCalls,
      name: null,
    },
  ];
}

/** memgate's message ids, as the core makes them for a turn. */
export function newMessageId(): string {
  return `message-${randomUUID()}`;
}

/** A user message: typed MemGPT user messages unwrapped, images kept as attachments where they stood. */
function importUser(
  message: AgentFileMessage,
  base: Pick<NewMessage, 'agentId' | 'createdAt' | 'toolCalls' | 'toolCallId'>,
  fileAgentId: string,
  notes: ImportNotes,
): NewMessage {
  const name = message.name ?? null;
  if (!Array.isArray(message.content)) {
    const text = contentText(message, fileAgentId, notes);
    return { ...base, id: newMessageId(), role: 'user', content: text === null ? null : userText(text), name };
  }
  const { text, attachments } = importUserContent(message.content, fileAgentId, notes);
  // Offsets point into the text as sent, so a message with images keeps its text as it is.
  if (attachments.length > 0) return { ...base, id: newMessageId(), role: 'user', content: text, attachments, name };
  const hasText = message.content.some((part) => (part.type ?? 'text') === 'text' && typeof part.text === 'string');
  return { ...base, id: newMessageId(), role: 'user', content: hasText ? userText(text) : null, name };
}

function systemMessageId(messages: AgentFileMessage[], inContext: string[]): string | null {
  const candidate = inContext[0] ?? messages[0]?.id;
  const message = messages.find((entry) => entry.id === candidate);
  return message?.role === 'system' ? message.id : null;
}

function timestamp(value: string | null | undefined, now: string): string {
  const time = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? now : new Date(time).toISOString();
}

/** The text parts of a message; other parts (images, reasoning) are counted in the warnings. */
function contentText(message: AgentFileMessage, fileAgentId: string, notes: ImportNotes): string | null {
  const { content } = message;
  if (content === null || content === undefined) return null;
  if (typeof content === 'string') return notes.text(content);
  const texts: string[] = [];
  for (const part of content) {
    if ((part.type ?? 'text') === 'text' && typeof part.text === 'string') texts.push(notes.text(part.text));
    else notes.count(`Agent ${fileAgentId}: message content parts of type "${part.type}" were not imported`);
  }
  return texts.length > 0 ? texts.join('\n') : null;
}

/**
 * Letta's MemGPT agents wrap what the user typed as `{"type": "user_message", "message": …}`;
 * memgate stores the text as it was sent. Heartbeats, system alerts and login events stay as they
 * are: they are what the agent saw.
 */
function userText(text: string): string {
  if (!text.trimStart().startsWith('{')) return text;
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && 'type' in value && 'message' in value) {
      const { type, message } = value as { type: unknown; message: unknown };
      if (type === 'user_message' && typeof message === 'string') return message;
    }
  } catch {
    // Not JSON after all: the text as it is.
  }
  return text;
}

function importToolCalls(message: AgentFileMessage): ToolCall[] | null {
  const calls = message.tool_calls ?? [];
  if (calls.length === 0) return null;
  return calls.map((call) => ({
    id: call.id || `call_${randomUUID().replaceAll('-', '')}`,
    type: 'function',
    function: { name: call.function.name, arguments: call.function.arguments ?? '{}' },
  }));
}

/** One memgate tool message per result: Letta puts parallel results in one message's `tool_returns`. */
function toolResults(
  message: AgentFileMessage,
  text: string | null,
  toolNames: Map<string, string>,
  base: Pick<NewMessage, 'agentId' | 'createdAt' | 'toolCalls'>,
  notes: ImportNotes,
  fileAgentId: string,
): NewMessage[] {
  const returns = message.tool_returns ?? [];
  const results =
    returns.length > 1
      ? returns.map((entry) => ({ callId: entry.tool_call_id, text: entry.func_response ?? null }))
      : [{ callId: message.tool_call_id ?? returns[0]?.tool_call_id, text: text ?? returns[0]?.func_response ?? null }];
  const imported: NewMessage[] = [];
  for (const result of results) {
    if (!result.callId) {
      // A result that answers no call cannot be put in a prompt: upstreams refuse it.
      notes.count(`Agent ${fileAgentId}: tool results without a tool_call_id were not imported`);
      continue;
    }
    imported.push({
      ...base,
      id: newMessageId(),
      role: 'tool',
      content: notes.text(result.text ?? ''),
      toolCallId: result.callId,
      name: message.name ?? toolNames.get(result.callId) ?? null,
    });
  }
  return imported;
}
