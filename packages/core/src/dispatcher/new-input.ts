import { randomUUID } from 'node:crypto';
import { declinedResult } from '../agent/mcp-tools.ts';
import type { ApprovedCall } from '../agent/turn-types.ts';
import type { NewMessage, PendingToolCall, StoredMessage } from '../domain/types.ts';
import { fieldError } from '../errors/validation.ts';
import type { LlmMessage } from '../llm/provider.ts';
import type { ChatMessageInput } from '../schemas/chat-request.ts';
import { RetryMatcher } from './retry-tail.ts';
import { DEFAULT_MAX_ATTACHMENT_BYTES, userMessageContent } from './user-content.ts';

export interface NewInput {
  newMessages: NewMessage[];
  resolvedToolCallIds: string[];
  turnInstructions: LlmMessage[];
  /** Approval calls the client approved: their tool runs before the messages are stored. */
  approvedCalls: ApprovedCall[];
}

export interface NewInputOptions {
  /** Largest decoded `data:` image a user message may carry (413 above it). */
  maxAttachmentBytes?: number;
  /** Whether a pending call awaits the client's approval (an MCP tool), rather than its result. */
  isApprovalCall?: (call: PendingToolCall) => boolean;
}

/** Most new input messages one request may bring, by default (MEMGATE_MAX_INPUT_MESSAGES). */
export const DEFAULT_MAX_INPUT_MESSAGES = 256;

/**
 * Refuses a request bringing more than `max` new input messages (user, tool and function messages
 * after the last assistant one): each is a stored row, and thousands in one body stall the process.
 * Reads the raw body, so that such a request is refused before the schema walks every message.
 */
export function assertInputCount(body: unknown, max: number): void {
  const messages = typeof body === 'object' && body !== null ? (body as { messages?: unknown }).messages : undefined;
  if (!Array.isArray(messages) || messages.length <= max) return;
  const roleOf = (message: unknown) =>
    typeof message === 'object' && message !== null ? (message as { role?: unknown }).role : undefined;
  const lastAssistant = messages.findLastIndex((candidate) => roleOf(candidate) === 'assistant');
  let count = 0;
  for (let index = lastAssistant + 1; index < messages.length; index++) {
    const role = roleOf(messages[index]);
    if (role === 'user' || role === 'tool' || role === 'function') count++;
  }
  if (count > max) {
    throw fieldError(
      ['body', 'messages'],
      `A request may bring at most ${max} new input messages (user and tool messages after the last assistant message); this one brings ${count}.`,
      'too_many_messages',
    );
  }
}

type Content = Extract<ChatMessageInput, { role: 'system' | 'tool' }>['content'];

/** Text of a message's content; parts other than text are refused rather than dropped. */
export function contentText(content: Content | null, loc: (string | number)[]): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, index) => {
      if (part.type === 'text' && typeof part.text === 'string') return part.text;
      throw fieldError(
        [...loc, index, 'type'],
        `Content parts of type "${part.type}" are not supported; send text parts.`,
        'unsupported_content',
      );
    })
    .join('\n');
}

function message(
  agentId: string,
  fields: Pick<NewMessage, 'role' | 'content' | 'toolCallId' | 'name' | 'attachments'>,
): NewMessage {
  if (fields.attachments?.length === 0) delete fields.attachments;
  return {
    id: `message-${randomUUID()}`,
    agentId,
    toolCalls: null,
    createdAt: new Date().toISOString(),
    ...fields,
  };
}

/**
 * Applies the contract's new-input rule: the agent keeps its own history, so only the user and
 * tool messages after the last assistant message are new. Tool results must answer pending calls;
 * a new user message instead of results cancels the pending calls (so an agent never stays stuck).
 * Input that a failed attempt of the same request already stored (`retryTail`) is not stored again.
 */
export function extractNewInput(
  agentId: string,
  messages: ChatMessageInput[],
  pending: PendingToolCall[],
  retryTail: StoredMessage[] = [],
  options: NewInputOptions = {},
): NewInput {
  const maxAttachmentBytes = options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const lastAssistant = messages.findLastIndex((candidate) => candidate.role === 'assistant');
  const turnInstructions: LlmMessage[] = [];
  const toolResults: NewMessage[] = [];
  const userMessages: NewMessage[] = [];
  const open = new Map(pending.map((call) => [call.toolCallId, call]));
  const retry = new RetryMatcher(retryTail);
  const approvedCalls: ApprovedCall[] = [];
  let retried = 0;

  messages.forEach((input, index) => {
    const loc = ['body', 'messages', index, 'content'];
    if (input.role === 'system' || input.role === 'developer') {
      turnInstructions.push({ role: input.role, content: contentText(input.content, loc) });
      return;
    }
    if (index < lastAssistant || input.role === 'assistant') return;
    if (input.role === 'user') {
      const { text: content, attachments } = userMessageContent(input.content, loc, maxAttachmentBytes);
      if (retry.isStoredUser(content, attachments)) {
        retried++;
        return;
      }
      userMessages.push(
        message(agentId, {
          role: 'user',
          content,
          toolCallId: null,
          name: input.name ?? null,
          attachments,
        }),
      );
      return;
    }
    const resultText = contentText(input.content, loc);
    const repeated =
      input.role === 'tool'
        ? retry.storedToolResult({ toolCallId: input.tool_call_id }, resultText)
        : retry.storedToolResult({ name: input.name }, resultText);
    if (repeated) {
      retried++;
      return;
    }
    const call =
      input.role === 'tool'
        ? open.get(input.tool_call_id)
        : [...open.values()].find((candidate) => candidate.name === input.name);
    if (!call) {
      const field = input.role === 'tool' ? 'tool_call_id' : 'name';
      const which = input.role === 'tool' ? `id "${input.tool_call_id}"` : `function "${input.name}"`;
      throw fieldError(
        ['body', 'messages', index, field],
        `There is no pending tool call with ${which} for this agent.`,
      );
    }
    open.delete(call.toolCallId);
    const decision = options.isApprovalCall?.(call) ? approvalOf(resultText, loc, call.name) : null;
    const result = message(agentId, {
      role: 'tool',
      content: decision && !decision.approve ? declinedResult(call.name, decision.reason) : resultText,
      toolCallId: call.toolCallId,
      name: call.name,
    });
    if (decision?.approve) approvedCalls.push({ call, message: result });
    toolResults.push(result);
  });

  if (toolResults.length > 0 && open.size > 0) {
    throw fieldError(
      ['body', 'messages'],
      `Missing tool results for pending tool calls: ${[...open.keys()].join(', ')}.`,
    );
  }
  if (toolResults.length === 0 && userMessages.length === 0 && retried === 0) {
    throw fieldError(
      ['body', 'messages'],
      'messages must end with a new user or tool message after the last assistant message.',
    );
  }
  for (const call of open.values()) {
    toolResults.push(
      message(agentId, {
        role: 'tool',
        content: JSON.stringify({ status: 'Failed', message: 'The client sent a new message instead of a result.' }),
        toolCallId: call.toolCallId,
        name: call.name,
      }),
    );
  }
  return {
    newMessages: [...toolResults, ...userMessages],
    resolvedToolCallIds: pending.map((call) => call.toolCallId),
    turnInstructions,
    approvedCalls,
  };
}

/**
 * The client's answer to an approval call: `{"approve": true}`, or `{"approve": false, "reason"}`.
 * Anything else is refused (422), since storing it would leave the agent with neither a result nor a
 * decision.
 */
function approvalOf(text: string, loc: (string | number)[], name: string): { approve: boolean; reason: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const answer = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  const approve = answer ? (answer as { approve?: unknown }).approve : undefined;
  const reason = answer ? (answer as { reason?: unknown }).reason : undefined;
  if (typeof approve !== 'boolean' || (reason !== undefined && reason !== null && typeof reason !== 'string')) {
    throw fieldError(
      loc,
      `The tool call ${name} awaits your approval: answer with the content {"approve": true} to run it, or ` +
        '{"approve": false, "reason": "..."} to decline it.',
      'invalid_approval',
    );
  }
  return { approve, reason: typeof reason === 'string' && reason !== '' ? reason : null };
}
