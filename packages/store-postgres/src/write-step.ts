import {
  assertStepRowsBelongToAgent,
  messageSearchText,
  type NewMessage,
  type StoredMessage,
  type ToolCall,
  type TurnStep,
} from '@memgate/core';
import type { PoolClient, QueryConfig } from 'pg';
import { writeAttachments } from './attachments.ts';
import { storable } from './postgres-errors.ts';
import { SQL } from './queries.ts';
import { usageColumns } from './usage.ts';
import { writePassages } from './write-passages.ts';

/**
 * The statement that commits a step: memgate_commit_step, with the step's usage records inserted
 * by the same statement when it has any (so still one round trip and one transaction).
 */
export function commitStepQuery(step: TurnStep): { messages: NewMessage[]; query: QueryConfig } {
  const { messages, values } = commitStepCall(step);
  const usage = step.usage ?? [];
  if (usage.length === 0) return { messages, query: { ...SQL.commitStep, values } };
  return { messages, query: { ...SQL.commitStepWithUsage, values: [...values, ...usageColumns(usage)] } };
}

/**
 * The parameters of memgate_commit_step for a step (see blocks-migration.ts), and the
 * messages as they will read back. Throws before any write for rows of another agent.
 */
export function commitStepCall(step: TurnStep): { messages: NewMessage[]; values: unknown[] } {
  assertStepRowsBelongToAgent(step);
  const messages = step.messages.map(storableMessage);
  const { summary } = step;
  const memory = memoryWrites(step.memory ?? []);
  const added = step.addPendingToolCalls ?? [];
  const values = [
    step.agentId,
    step.conversationId ?? step.agentId,
    ...messageColumns(messages),
    step.contextStartSeq !== undefined || Boolean(summary),
    step.contextStartSeq ?? null,
    summary !== undefined,
    summary ? storable(summary.text) : null,
    summary?.messageCount ?? 0,
    summary?.updatedAt ?? null,
    memory.map((write) => write.label),
    memory.map((write) => write.value),
    memory.map((write) => write.expected),
    memory.map((write) => write.writes),
    step.memoryMessageId ?? step.messages[0]?.id ?? null,
    new Date().toISOString(),
    step.resolvePendingToolCallIds ?? [],
    added.map((call) => call.toolCallId),
    added.map((call) => storable(call.name)),
    added.map((call) => storable(call.arguments)),
    added.map((call) => call.style),
    added.map((call) => call.createdAt),
  ];
  return { messages, values };
}

/** One label's writes of a step, as one UPDATE: see memoryWrites. */
interface MemoryWrite {
  label: string;
  value: string;
  /** The version the block must be at; null for an unconditional write. */
  expected: number | null;
  /** How many versions the block moves on by. */
  writes: number;
}

/**
 * A step's memory updates as one write per label, with the result of applying them in order: the
 * last value, one version per update, and the version the first of them needs the block at. A
 * later update made from version v (the i-th of its label) needs the block at v - i before the
 * step, as it would one write at a time; updates of one label that disagree can never all apply,
 * so they ask for a version no block has (-1): a conflict, or NOT_FOUND for a missing block.
 */
export function memoryWrites(updates: { label: string; value: string; version?: number }[]): MemoryWrite[] {
  const byLabel = new Map<string, MemoryWrite>();
  for (const update of updates) {
    let write = byLabel.get(update.label);
    if (!write) {
      write = { label: update.label, value: '', expected: null, writes: 0 };
      byLabel.set(update.label, write);
    }
    if (update.version !== undefined) {
      const base = update.version - write.writes;
      write.expected = write.expected === null || write.expected === base ? base : -1;
    }
    write.value = storable(update.value);
    write.writes += 1;
  }
  return [...byLabel.values()];
}

/**
 * Writes a step that has attachments or passages, inside the caller's transaction: the function
 * call writes what a plain step writes (and checks it), then the images and passages follow. It
 * throws part-way on a bad step and relies on the rollback to leave nothing of it behind.
 */
export async function writeStep(client: PoolClient, step: TurnStep): Promise<StoredMessage[]> {
  const { messages, query } = commitStepQuery(step);
  const { rows } = await client.query<{ id: string; seq: string }>(query);
  const stored = withSeqs(messages, rows, step.conversationId ?? step.agentId);
  await writeAttachments(client, stored);
  await writePassages(client, step.passages ?? []);
  return stored;
}

/** The column arrays of the messages' INSERT, in the function's parameters' order. */
function messageColumns(messages: NewMessage[]): unknown[][] {
  return [
    messages.map((message) => message.id),
    messages.map((message) => message.role),
    messages.map((message) => message.content),
    messages.map((message) => (message.toolCalls === null ? null : JSON.stringify(message.toolCalls))),
    messages.map((message) => message.toolCallId),
    messages.map((message) => message.name),
    messages.map((message) => message.createdAt),
    messages.map((message) => message.tokenCount ?? null),
    messages.map((message) => messageSearchText(message)),
    messages.map((message) => (message.metadata ? JSON.stringify(message.metadata) : null)),
  ];
}

/** The messages as stored, each with the seq its INSERT returned. */
export function withSeqs(
  messages: NewMessage[],
  rows: { id: string; seq: string }[],
  conversationId: string,
): StoredMessage[] {
  // RETURNING promises no order: match the seqs by id (unique, or the INSERT would have failed).
  const seqById = new Map(rows.map((row) => [row.id, Number(row.seq)]));
  return messages.map((message) => {
    const seq = seqById.get(message.id);
    if (seq === undefined) throw new Error(`Message ${message.id} was not returned by its INSERT.`);
    const { id, agentId, ...rest } = message;
    return { id, agentId, conversationId, seq, ...rest };
  });
}

/** The message as it will read back: the same fields, with text PostgreSQL can hold. */
export function storableMessage(message: NewMessage): NewMessage {
  const copy: NewMessage = {
    id: message.id,
    agentId: message.agentId,
    role: message.role,
    content: storable(message.content),
    toolCalls: message.toolCalls === null ? null : storableCalls(message.toolCalls),
    toolCallId: storable(message.toolCallId),
    name: storable(message.name),
    createdAt: message.createdAt,
  };
  if (message.tokenCount !== undefined) copy.tokenCount = message.tokenCount;
  if (message.metadata) {
    copy.metadata = Object.fromEntries(
      Object.entries(message.metadata).map(([key, value]) => [storable(key), storable(value)]),
    );
  }
  if (message.attachments?.length) {
    copy.attachments = message.attachments.map((attachment) => ({ ...attachment, url: storable(attachment.url) }));
  }
  return copy;
}

export function storableCalls(calls: ToolCall[]): ToolCall[] {
  return calls.map((call) => ({
    id: call.id,
    type: call.type,
    function: { name: storable(call.function.name), arguments: storable(call.function.arguments) },
  }));
}
