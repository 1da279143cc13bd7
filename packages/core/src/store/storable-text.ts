import type { NewMessage, NewPassage, ToolCall } from '../domain/types.ts';
import type { NewAgent, TurnStep } from './store.ts';

/**
 * Text as every store keeps it: U+0000 becomes U+FFFD, the replacement character. PostgreSQL text
 * cannot hold NUL (SQLite can); clients' text with NUL is refused with 422 before it gets here, so
 * this only meets what a model wrote, and every store reads it back the same.
 */
export function storableText(text: string): string;
export function storableText(text: string | null): string | null;
export function storableText(text: string | null): string | null {
  return text === null || !text.includes('\u0000') ? text : text.replaceAll('\u0000', '\uFFFD');
}

function storableCalls(calls: ToolCall[]): ToolCall[] {
  return calls.map((call) => ({
    ...call,
    function: { name: storableText(call.function.name), arguments: storableText(call.function.arguments) },
  }));
}

/** The message as every store reads it back (see `storableText`). */
export function storableMessage(message: NewMessage): NewMessage {
  const copy: NewMessage = {
    ...message,
    content: storableText(message.content),
    toolCalls: message.toolCalls === null ? null : storableCalls(message.toolCalls),
    toolCallId: storableText(message.toolCallId),
    name: storableText(message.name),
  };
  if (message.attachments) {
    copy.attachments = message.attachments.map((attachment) => ({ ...attachment, url: storableText(attachment.url) }));
  }
  return copy;
}

export function storablePassage(passage: NewPassage): NewPassage {
  return { ...passage, content: storableText(passage.content) };
}

/** A turn step with every text made storable: messages, memory, passages, summary, pending calls. */
export function storableStep(step: TurnStep): TurnStep {
  const copy: TurnStep = { ...step, messages: step.messages.map(storableMessage) };
  if (step.memory) copy.memory = step.memory.map((update) => ({ ...update, value: storableText(update.value) }));
  if (step.passages) copy.passages = step.passages.map(storablePassage);
  if (step.summary) copy.summary = { ...step.summary, text: storableText(step.summary.text) };
  if (step.addPendingToolCalls) {
    copy.addPendingToolCalls = step.addPendingToolCalls.map((call) => ({
      ...call,
      name: storableText(call.name),
      arguments: storableText(call.arguments),
    }));
  }
  return copy;
}

export function storableAgent(agent: NewAgent): NewAgent {
  return {
    ...agent,
    name: storableText(agent.name),
    system: storableText(agent.system),
    memory: agent.memory.map((block) => ({
      ...block,
      label: storableText(block.label),
      value: storableText(block.value),
    })),
  };
}
