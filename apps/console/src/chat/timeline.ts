import { isAgentTool, SEND_MESSAGE, type StoredToolCall, sentText, toolCallsOf } from './tool-calls.ts';

/** What the timeline reads of a stored message (a subset of `AgentMessage`). */
export interface TimelineMessage {
  id: string;
  role: string;
  content?: string | null;
  toolCalls?: unknown;
  toolCallId?: string | null;
  name?: string | null;
}

/** One collapsible step under a reply: inner monologue, a tool call with its result, a system note. */
export type Step =
  | { kind: 'thought'; key: string; text: string }
  | { kind: 'note'; key: string; text: string }
  | { kind: 'tool'; key: string; call: StoredToolCall; result: string | null; clientTool: boolean };

export interface UserItem {
  kind: 'user';
  key: string;
  text: string;
  name: string | null;
}

/** What the agent did between two user messages: its replies and the steps that led to them. */
export interface ReplyItem {
  kind: 'reply';
  key: string;
  texts: string[];
  steps: Step[];
}

export type TimelineItem = UserItem | ReplyItem;

/**
 * Groups stored messages (oldest first) the way a chat shows them: each user message, then one
 * reply per run of assistant, tool and system messages. The reply is what send_message sent (or
 * an assistant's plain text); content beside tool calls is inner monologue; each tool result is
 * matched to its call by `toolCallId`, so a call and its result are one step.
 */
export function buildTimeline(messages: readonly TimelineMessage[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  const toolSteps = new Map<string, Extract<Step, { kind: 'tool' }>>();
  const sendCalls = new Set<string>();
  const currentReply = (key: string): ReplyItem => {
    const last = items.at(-1);
    if (last?.kind === 'reply') return last;
    const reply: ReplyItem = { kind: 'reply', key, texts: [], steps: [] };
    items.push(reply);
    return reply;
  };
  for (const message of messages) {
    const content = message.content ?? '';
    if (message.role === 'user') {
      items.push({ kind: 'user', key: message.id, text: content, name: message.name ?? null });
    } else if (message.role === 'assistant') {
      const reply = currentReply(message.id);
      const calls = toolCallsOf(message.toolCalls);
      if (calls.length === 0) {
        if (content) reply.texts.push(content);
        continue;
      }
      if (content) reply.steps.push({ kind: 'thought', key: `${message.id}:thought`, text: content });
      for (const call of calls) {
        if (call.name === SEND_MESSAGE) {
          sendCalls.add(call.id);
          const text = sentText(call);
          if (text !== null) reply.texts.push(text);
          continue;
        }
        const step = { kind: 'tool' as const, key: call.id, call, result: null, clientTool: !isAgentTool(call.name) };
        toolSteps.set(call.id, step);
        reply.steps.push(step);
      }
    } else if (message.role === 'tool') {
      const callId = message.toolCallId ?? '';
      if (sendCalls.has(callId)) continue;
      const step = toolSteps.get(callId);
      if (step) step.result = content;
      else {
        const call = { id: callId || message.id, name: message.name ?? 'tool', arguments: '' };
        currentReply(message.id).steps.push({
          kind: 'tool',
          key: message.id,
          call,
          result: content,
          clientTool: false,
        });
      }
    } else if (content) {
      currentReply(message.id).steps.push({ kind: 'note', key: message.id, text: content });
    }
  }
  return items;
}

/**
 * The calls the conversation waits on: client tools and MCP tools awaiting approval that the last
 * reply made and nothing answered yet. A user message after them closes them (the server says so),
 * so only the last item counts.
 */
export function pendingCalls(items: readonly TimelineItem[]): StoredToolCall[] {
  const last = items.at(-1);
  if (last?.kind !== 'reply') return [];
  return last.steps.flatMap((step) =>
    step.kind === 'tool' && step.clientTool && step.result === null ? [step.call] : [],
  );
}
